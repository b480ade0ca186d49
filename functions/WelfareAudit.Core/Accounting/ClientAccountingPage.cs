using System.Globalization;
using System.Net;
using System.Text;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Accounting;

/// <summary>
/// The accounting as a printable page for the client, in plain language: for each search about them, when, why, who
/// searched, where and for what, what was found, what was done (and who was told what), and whether it was discussed
/// with them; then the earlier accountings and what this one does not cover. It prints no internal code: no client
/// code, search id, ledger id, object id, index or hash (those are in the bundle). Self-contained, one inline style
/// sheet, no script; the response's Content-Security-Policy allows nothing else.
/// </summary>
public static class ClientAccountingPage
{
    public const string ContentType = "text/html; charset=utf-8";

    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string Css = """
        :root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; background: #fff; }
        body { max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
        h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; border-bottom: 2px solid #333; padding-bottom: .2rem; margin-top: 2rem; }
        h3 { font-size: 1.1rem; margin-bottom: .3rem; }
        dl { display: grid; grid-template-columns: 13rem 1fr; gap: .3rem 1rem; margin: 0; }
        dt { font-weight: 600; } dd { margin: 0; white-space: pre-wrap; }
        article { border: 1px solid #555; border-radius: 4px; padding: .8rem 1rem; margin: 1rem 0; }
        .muted { color: #444; }
        ul { margin: 0; padding-left: 1.2rem; }
        @media print {
          body { margin: 0; max-width: none; font-size: 11pt; }
          article { break-inside: avoid; border-color: #000; }
          h2 { break-after: avoid; }
          #searches { break-before: page; }
        }
        """;

    public static string Render(ClientAccounting accounting)
    {
        var html = new StringBuilder(8192);
        var therapists = accounting.Searches.Select(s => s.Therapist).Distinct(StringComparer.Ordinal).ToList();
        string Who(string therapist) => therapists.Count < 2 ? "Your therapist" : $"Therapist {therapists.IndexOf(therapist) + 1} of the practice";

        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Searches made about you</title><style>").Append(Css).Append("</style></head><body><main>")
            .Append("<h1>Searches made about you</h1>")
            .Append("<p>Your therapist has promised not to look you up online, except in a crisis: when they had reason to fear for your ")
            .Append("safety and could not reach you in the usual ways. Every such search is written into a log that cannot be changed ")
            .Append("afterwards. This is the list, from that log, of every search recorded about you.</p>")
            .Append("<p class=\"muted\">Prepared ").Append(E(Day(accounting.GeneratedAt, true))).Append(" at your request")
            .Append(accounting.Ledgers.Count > 1 ? $", from the logs of all {N(accounting.Ledgers.Count)} therapists of the practice." : ", from your therapist's log.")
            .Append("</p>");

        var discussed = accounting.Searches.Count(s => s.Discussion is not null);
        html.Append("<section id=\"summary\"><h2>In short</h2><p>")
            .Append(accounting.Searches.Count switch
            {
                0 => "No search about you is recorded.",
                1 => "One search about you is recorded.",
                var n => $"{N(n)} searches about you are recorded.",
            });
        if (accounting.Searches.Count > 0)
        {
            html.Append(' ').Append(discussed == accounting.Searches.Count ? "Each was discussed with you afterwards."
                : $"{N(discussed)} of them {(discussed == 1 ? "was" : "were")} discussed with you afterwards.");
        }
        html.Append("</p></section>");

        if (accounting.Searches.Count > 0)
        {
            html.Append("<section id=\"searches\"><h2>Each search</h2>");
            var number = 0;
            foreach (var s in accounting.Searches)
            {
                Search(html, s, ++number, Who(s.Therapist));
            }
            html.Append("</section>");
        }

        html.Append("<section id=\"earlier\"><h2>Earlier requests for this list</h2>");
        if (accounting.Earlier.Count == 0)
        {
            html.Append("<p>None: this is the first.</p>");
        }
        else
        {
            html.Append("<ul>");
            // One request over several therapists' logs is recorded in each of them, within moments: list it once.
            foreach (var a in accounting.Earlier.DistinctBy(a => (Day(a.ProvidedAt, true), a.RequestedBy, a.Format)))
            {
                html.Append("<li>").Append(E(Day(a.ProvidedAt, true))).Append(", ")
                    .Append(a.Format == ClientAccountingFormat.Bundle ? "as a verifiable file" : "as a page").Append("</li>");
            }
            html.Append("</ul>");
        }
        html.Append("<p>This request is recorded in the log too.</p></section>");

        html.Append("<section id=\"rights\"><h2>How long this is kept, and your rights</h2><ul>")
            .Append("<li>The log is kept for at least six years after its last entry, and nothing in it is ever deleted or changed.</li>")
            .Append("<li>You may ask the practice to correct an entry. A correction is added to the log; the original stays, and both appear in this list.</li>")
            .Append("<li>You may also complain to the authority that oversees health privacy or data protection where you live.</li></ul></section>");

        html.Append("<section id=\"covers\"><h2>What this list covers</h2><ul>")
            .Append("<li>Searches your therapist recorded, found by the code they use for you. A search that was never recorded cannot be listed: ")
            .Append("the log proves that what is recorded was not changed or removed, not that everything was recorded.</li>")
            .Append("<li>A search recorded under a different code and corrected to yours afterwards is not listed; the practice can check this for you.</li>")
            .Append("<li>The practice can also give you a file that proves this list comes unchanged from the log. It shows your entries and ")
            .Append("hides everyone else's.</li></ul></section>")
            .Append("</main></body></html>");
        return html.ToString();
    }

    private static void Search(StringBuilder html, AccountedSearch s, int number, string who)
    {
        var e = s.Entry;
        html.Append("<article><h3>Search ").Append(N(number)).Append(": ").Append(E(Day(e.OccurredAt, true))).Append("</h3><dl>");
        Row(html, "When", Day(e.OccurredAt, true) + " (written in the log " + Day(s.LoggedAt, true) + ")");
        Row(html, "Who searched", who);
        Row(html, "Why", e.Crisis.DangerSuspected);
        Row(html, "How worried", Risk(e.Crisis.RiskLevel));
        html.Append("<dt>Tried to reach you first</dt><dd><ul>");
        foreach (var a in e.Crisis.ContactAttempts)
        {
            html.Append("<li>").Append(E(Channel(a.Channel))).Append(", ").Append(E(Day(a.At, true))).Append("</li>");
        }
        html.Append("</ul></dd>");
        Row(html, "Reason for searching", e.Justification);
        Row(html, "Where they looked", string.Join(", ", e.Scope.Sources.Select(Source)));
        if (e.Scope.Queries.Count > 0)
        {
            html.Append("<dt>What they searched for</dt><dd><ul>");
            foreach (var q in e.Scope.Queries)
            {
                html.Append("<li>").Append(E(q)).Append("</li>");
            }
            html.Append("</ul></dd>");
        }
        Row(html, "What they found", e.Findings ?? "Nothing recorded.");
        Row(html, "What they did", e.ActionsTaken ?? "Nothing recorded.");
        Row(html, "Who else was told", e.ThirdPartyContacted is { } t ? $"{t.Recipient}. What they were told: {t.Disclosed}" : "Nobody.");
        Row(html, "Discussed with you", s.Discussion is { } d
            ? "Yes, " + Day(d.DiscussedAt, true) + "." + (d.Note is null ? "" : " Your therapist's note: " + d.Note) + (d.ClientResponse is null ? "" : " Your response as recorded: " + d.ClientResponse)
            : s.NextSessionAt is { } next ? "Not yet. Planned for your session of " + Day(next, false) + "." : "Not yet.");
        if (s.Amendments.Count > 0)
        {
            html.Append("<dt>Corrections</dt><dd><ul>");
            foreach (var a in s.Amendments)
            {
                html.Append("<li>").Append(E(Day(a.RecordedAt, true))).Append(": ")
                    .Append(E(a.Field == "clientRef" ? "the code for the client was corrected" : a.ClosesSearch ? "closed" : $"{Field(a.Field)} corrected to \u201c{a.Value}\u201d"))
                    .Append(". Reason: ").Append(E(a.Reason)).Append("</li>");
            }
            html.Append("</ul></dd>");
        }
        if (s.Reviews > 0)
        {
            Row(html, "Checked by a supervisor", s.Reviews == 1 ? "Yes." : $"Yes, {N(s.Reviews)} times.");
        }
        html.Append("</dl></article>");
    }

    private static void Row(StringBuilder html, string term, string value) =>
        html.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(E(value)).Append("</dd>");

    private static string Risk(RiskLevel level) => level switch
    {
        RiskLevel.Low => "Some concern",
        RiskLevel.Moderate => "Moderate concern",
        RiskLevel.High => "High concern",
        _ => "Feared you were in immediate danger",
    };

    private static string Channel(ContactChannel channel) => channel switch
    {
        ContactChannel.MissedAppointment => "You missed an appointment",
        ContactChannel.Phone => "By phone",
        ContactChannel.Email => "By email",
        ContactChannel.EmergencyContact => "Through your emergency contact",
        _ => "Another way",
    };

    private static string Source(SearchSource source) => source switch
    {
        SearchSource.SearchEngine => "a search engine",
        SearchSource.Blog => "a blog",
        SearchSource.Facebook => "Facebook",
        SearchSource.TwitterX => "X (Twitter)",
        SearchSource.LinkedIn => "LinkedIn",
        _ => "another site",
    };

    private static string Field(string field) => field switch
    {
        "occurredAt" => "the time of the search",
        "crisis.dangerSuspected" => "why",
        "crisis.riskLevel" => "how worried",
        "crisis.contactAttempts" => "the attempts to reach you",
        "justification" => "the reason",
        "scope.sources" => "where they looked",
        "scope.queries" => "what they searched for",
        "findings" => "what they found",
        "actionsTaken" => "what they did",
        "thirdPartyContacted" => "who else was told",
        _ => "an entry",
    };

    private static string Day(DateTimeOffset at, bool withTime) =>
        at.UtcDateTime.ToString(withTime ? "d MMMM yyyy, HH:mm 'UTC'" : "d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

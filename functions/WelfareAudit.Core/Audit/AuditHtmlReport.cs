using System.Globalization;
using System.Net;
using System.Text;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// The printable report for a board: the summary first (searches per month, per client pseudonym, time
/// from search to discussion, overdue ones, the rarity flags), then one entry per search, then how to
/// verify. Clients always appear as per-export pseudonyms. It is self-contained (inline CSS, no script,
/// nothing fetched) and has print CSS, so the browser's "Print to PDF" gives the PDF.
/// The searches of the range are held in memory to compute the summary: they are rare by policy; the
/// events, which are many, are never held.
/// </summary>
public static class AuditHtmlReport
{
    private const string Css = """
        :root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; }
        body { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
        h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { border-bottom: 2px solid #333; padding-bottom: .2rem; margin-top: 2rem; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
        th, td { border: 1px solid #999; padding: .25rem .45rem; text-align: left; vertical-align: top; }
        th { background: #eee; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
        .flag { color: #8a0000; font-weight: 700; } .ok { color: #0a5a0a; } .muted { color: #555; font-size: .88rem; }
        .entry { border: 1px solid #999; padding: .5rem .8rem; margin: .8rem 0; }
        .entry h3 { margin: .1rem 0 .4rem; font-size: 1.05rem; }
        dl { display: grid; grid-template-columns: 13rem 1fr; gap: .15rem .8rem; margin: 0; } dt { font-weight: 600; } dd { margin: 0; }
        code { font-size: .8rem; word-break: break-all; }
        @page { size: A4; margin: 16mm 14mm; }
        @media print {
          body { margin: 0; max-width: none; font-size: 10.5pt; }
          h2 { break-after: avoid; } .entry, tr { break-inside: avoid; } thead { display: table-header-group; }
          #entries { break-before: page; }
        }
        """;

    public static async Task<IReadOnlyDictionary<string, long>> WriteAsync(AuditExport export, IAsyncEnumerable<AuditSearchRow> source, AuditReportOptions options,
        DateTimeOffset now, Stream output, CancellationToken cancellationToken)
    {
        var rows = new List<AuditSearchRow>();
        await foreach (var row in source.WithCancellation(cancellationToken))
        {
            rows.Add(row);
        }
        rows.Sort((a, b) => a.OccurredAt.CompareTo(b.OccurredAt));
        var html = new StringBuilder(16 * 1024);
        var writer = new StreamWriter(output, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);
        await using (writer)
        {
            Head(html, export);
            Summary(html, export, rows, options);
            await FlushAsync(html, writer, cancellationToken);
            html.Append("<section id=\"entries\"><h2>Entries</h2>");
            if (rows.Count == 0)
            {
                html.Append("<p>No crisis search was logged in this period.</p>");
            }
            foreach (var row in rows)
            {
                Entry(html, row);
                if (html.Length > 32 * 1024)
                {
                    await FlushAsync(html, writer, cancellationToken);
                }
            }
            html.Append("</section>");
            Verification(html, export);
            html.Append("</body></html>\n");
            await FlushAsync(html, writer, cancellationToken);
            await writer.FlushAsync(cancellationToken);
        }
        return rows.GroupBy(r => r.Therapist, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
    }

    /// <summary>The searches that exceed "extremely rare": per client within 365 days, per therapist within a calendar quarter.</summary>
    public static (IReadOnlySet<Guid> ByClient, IReadOnlySet<Guid> ByTherapist) RarityFlags(IReadOnlyList<AuditSearchRow> rows, AuditReportOptions options)
    {
        var byClient = new HashSet<Guid>();
        foreach (var group in rows.GroupBy(r => (r.Therapist, r.Client)))
        {
            var ordered = group.OrderBy(r => r.OccurredAt).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var within = ordered.Count(r => r.OccurredAt <= ordered[i].OccurredAt && r.OccurredAt > ordered[i].OccurredAt.AddDays(-365));
                if (within > options.RarityMaxPerClientPerYear)
                {
                    byClient.Add(ordered[i].SearchId);
                }
            }
        }
        var byTherapist = new HashSet<Guid>();
        foreach (var group in rows.GroupBy(r => (r.Therapist, Quarter(r.OccurredAt))))
        {
            if (group.Count() > options.RarityMaxPerTherapistPerQuarter)
            {
                byTherapist.UnionWith(group.Select(r => r.SearchId));
            }
        }
        return (byClient, byTherapist);
    }

    private static void Head(StringBuilder html, AuditExport export)
    {
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Crisis search audit report</title><style>").Append(Css).Append("</style></head><body>")
            .Append("<header><h1>Crisis search audit report</h1><p class=\"muted\">")
            .Append("Period: ").Append(E(Range(export.Request))).Append(" · generated ").Append(E(Day(export.GeneratedAt, true)))
            .Append(" by ").Append(E(export.GeneratedBy)).Append(" · export ").Append(E(export.ExportId)).Append("</p></header>");
    }

    private static void Summary(StringBuilder html, AuditExport export, List<AuditSearchRow> rows, AuditReportOptions options)
    {
        var (byClient, byTherapist) = RarityFlags(rows, options);
        var discussed = rows.Where(r => r.TimeToDiscussion is not null).Select(r => r.TimeToDiscussion!.Value).Order().ToList();
        var overdue = rows.Count(r => r.Overdue);
        var awaiting = rows.Count(r => r.Status == SearchStatusText.AwaitingDiscussion);
        var reviewed = rows.Count(r => r.ReviewOutcome is not null);
        var concerns = rows.Count(r => r.ReviewOutcome is not (null or Ledger.ReviewOutcomes.Appropriate));

        html.Append("<section id=\"summary\"><h2>Summary</h2><table><tbody>")
            .Append("<tr><th>Crisis searches logged</th><td class=\"n\">").Append(N(rows.Count)).Append("</td></tr>")
            .Append("<tr><th>Discussed with the client</th><td class=\"n\">").Append(N(discussed.Count)).Append("</td></tr>")
            .Append("<tr><th>Awaiting discussion</th><td class=\"n\">").Append(N(awaiting)).Append("</td></tr>")
            .Append("<tr><th>Overdue (not discussed after the next session, or after ").Append(N(options.OverdueAfterDays)).Append(" days)</th><td class=\"n")
            .Append(overdue > 0 ? " flag\">" : "\">").Append(N(overdue)).Append("</td></tr>")
            .Append("<tr><th>Reviewed by a supervisor</th><td class=\"n\">").Append(N(reviewed)).Append(" of ").Append(N(rows.Count))
            .Append(concerns > 0 ? $" ({N(concerns)} with a concern or follow-up needed)" : "").Append("</td></tr>")
            .Append("<tr><th>Time from search to discussion</th><td>")
            .Append(discussed.Count == 0 ? "—" : $"median {Duration(discussed[discussed.Count / 2])}, longest {Duration(discussed[^1])}").Append("</td></tr>")
            .Append("<tr><th>Rarity flags</th><td").Append(byClient.Count + byTherapist.Count > 0 ? " class=\"flag\">" : " class=\"ok\">")
            .Append(byClient.Count + byTherapist.Count == 0 ? "None: within the policy's &ldquo;extremely rare&rdquo;" :
                $"{N(byClient.Count)} search(es) exceed {N(options.RarityMaxPerClientPerYear)} per client in 365 days; {N(byTherapist.Count)} exceed {N(options.RarityMaxPerTherapistPerQuarter)} per therapist per quarter")
            .Append("</td></tr></tbody></table>");

        html.Append("<h3>Searches per month</h3><table id=\"per-period\"><thead><tr><th>Month</th><th>Searches</th><th>Discussed</th><th>Overdue</th></tr></thead><tbody>");
        foreach (var month in rows.GroupBy(r => r.OccurredAt.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            html.Append("<tr><td>").Append(month.Key).Append("</td><td class=\"n\">").Append(N(month.Count())).Append("</td><td class=\"n\">")
                .Append(N(month.Count(r => r.DiscussedAt is not null))).Append("</td><td class=\"n\">").Append(N(month.Count(r => r.Overdue))).Append("</td></tr>");
        }
        if (rows.Count == 0)
        {
            html.Append("<tr><td colspan=\"4\">No searches in this period (each ledger's head is signed; see Verification).</td></tr>");
        }
        html.Append("</tbody></table>");

        html.Append("<h3>Searches per client</h3><table id=\"per-client\"><thead><tr><th>Therapist</th><th>Client (pseudonym)</th><th>Searches</th><th>Rarity</th></tr></thead><tbody>");
        foreach (var client in rows.GroupBy(r => (r.Therapist, r.Client)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Client, StringComparer.Ordinal))
        {
            var flagged = client.Any(r => byClient.Contains(r.SearchId));
            html.Append("<tr><td>").Append(E(client.Key.Therapist)).Append("</td><td>").Append(E(client.Key.Client)).Append("</td><td class=\"n\">")
                .Append(N(client.Count())).Append("</td><td").Append(flagged ? " class=\"flag\">exceeds &ldquo;extremely rare&rdquo;" : ">—").Append("</td></tr>");
        }
        html.Append("</tbody></table>");

        var late = rows.Where(r => r.Overdue).ToList();
        if (late.Count > 0)
        {
            html.Append("<h3>Overdue</h3><table id=\"overdue\"><thead><tr><th>Reference</th><th>Therapist</th><th>Searched</th><th>Next session</th><th>Reminders sent</th></tr></thead><tbody>");
            foreach (var r in late)
            {
                html.Append("<tr class=\"flag\"><td>").Append(E(r.Reference)).Append("</td><td>").Append(E(r.Therapist)).Append("</td><td>").Append(Day(r.OccurredAt, true))
                    .Append("</td><td>").Append(r.NextSessionAt is { } s ? Day(s, true) : "not known").Append("</td><td class=\"n\">").Append(N(r.RemindersSent)).Append("</td></tr>");
            }
            html.Append("</tbody></table>");
        }
        html.Append("</section>");
    }

    private static void Entry(StringBuilder html, AuditSearchRow r)
    {
        var e = r.Entry;
        html.Append("<article class=\"entry\"><h3>").Append(E(r.Reference)).Append(" · ").Append(Day(r.OccurredAt, true)).Append(" · ")
            .Append(r.Overdue ? "<span class=\"flag\">overdue</span>" : E(r.Status)).Append("</h3><dl>")
            .Append("<dt>Therapist</dt><dd>").Append(E(r.Therapist)).Append("</dd>")
            .Append("<dt>Client</dt><dd>").Append(E(r.Client)).Append("</dd>")
            .Append("<dt>Risk suspected</dt><dd>").Append(E(EnumText.ToText(e.Crisis.RiskLevel))).Append("</dd>")
            .Append("<dt>Usual contacts tried</dt><dd>").Append(E(string.Join(", ", e.Crisis.ContactAttempts.Select(a => $"{EnumText.ToText(a.Channel)} ({Day(a.At, true)})")))).Append("</dd>")
            .Append("<dt>Justification</dt><dd>").Append(E(e.Justification)).Append("</dd>")
            .Append("<dt>Where searched</dt><dd>").Append(E(string.Join(", ", e.Scope.Sources.Select(s => EnumText.ToText(s))))).Append("</dd>")
            .Append("<dt>Third party contacted</dt><dd>").Append(e.ThirdPartyContacted is null ? "no" : "yes").Append("</dd>")
            .Append("<dt>Logged</dt><dd>").Append(Day(r.LoggedAt, true)).Append(" (ledger sequence ").Append(r.LoggedSequence.ToString(CultureInfo.InvariantCulture)).Append(")</dd>")
            .Append("<dt>Next session</dt><dd>").Append(r.NextSessionAt is { } s ? Day(s, true) : "not known").Append("</dd>")
            .Append("<dt>Discussed with the client</dt><dd>")
            .Append(r.DiscussedAt is { } d ? $"{Day(d, true)} ({Duration(r.TimeToDiscussion!.Value)} after the search)" : "not yet").Append("</dd>")
            .Append("<dt>Reminders sent</dt><dd>").Append(N(r.RemindersSent)).Append("</dd>")
            .Append("<dt>Amendments</dt><dd>").Append(N(r.Amendments)).Append("</dd>")
            .Append("<dt>Supervisor review</dt><dd>")
            .Append(r.ReviewOutcome is { } outcome ? $"{E(outcome)} by {E(r.Reviewer ?? "")}, {Day(r.ReviewedAt!.Value, true)}" : "not yet").Append("</dd>")
            .Append("</dl></article>");
    }

    private static void Verification(StringBuilder html, AuditExport export)
    {
        html.Append("<section id=\"verification\"><h2>Verification</h2><p>This report is readable, not provable. Ask for the <em>bundle</em> export of the same period ")
            .Append("and check it offline with <code>welfare-audit verify bundle.jsonl --public-key practice.pem</code>. Each ledger's head was signed for this export:</p>")
            .Append("<table><thead><tr><th>Therapist ledger</th><th>Events up to</th><th>Signed head (SHA-256)</th><th>Signed at</th><th>Key id</th></tr></thead><tbody>");
        foreach (var part in export.Ledgers)
        {
            var c = part.Checkpoint.Checkpoint;
            html.Append("<tr><td>").Append(E(part.LedgerId)).Append("</td><td class=\"n\">").Append(c.UpToSequence.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td><code>").Append(E(c.HeadHash)).Append("</code></td><td>").Append(Day(c.SignedAt, true)).Append("</td><td><code>")
                .Append(E(c.SigningKeyId)).Append("</code></td></tr>");
        }
        html.Append("</tbody></table></section>");
    }

    private static async Task FlushAsync(StringBuilder html, StreamWriter writer, CancellationToken ct)
    {
        await writer.WriteAsync(html, ct);
        html.Clear();
    }

    private static string Range(AuditExportRequest request) =>
        $"{(request.From is { } f ? Day(f, false) : "the beginning")} to {(request.Until is { } u ? Day(u.AddTicks(-1), false) : "now")}";

    private static string Day(DateTimeOffset at, bool withTime) =>
        at.UtcDateTime.ToString(withTime ? "yyyy-MM-dd HH:mm 'UTC'" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) => span.TotalHours < 48
        ? $"{span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h"
        : $"{span.TotalDays.ToString("0.#", CultureInfo.InvariantCulture)} days";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static int Quarter(DateTimeOffset at) => (at.UtcDateTime.Year * 4) + ((at.UtcDateTime.Month - 1) / 3);
}

using System.Runtime.CompilerServices;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Audit;

/// <summary>Thresholds of the readable exports (CSV, HTML), from <c>WelfareAudit:Audit</c>.</summary>
public sealed class AuditReportOptions
{
    /// <summary>A search not yet discussed is overdue once its next session has passed, or, with no session known, after this many days.</summary>
    public int OverdueAfterDays { get; set; } = 14;

    /// <summary>
    /// The policy calls these searches "extremely rare": more searches than this for one client within
    /// 365 days raise the rarity flag.
    /// </summary>
    public int RarityMaxPerClientPerYear { get; set; } = 1;

    /// <summary>More searches than this by one therapist within one calendar quarter raise the rarity flag.</summary>
    public int RarityMaxPerTherapistPerQuarter { get; set; } = 2;
}

/// <summary>One search, as the readable exports show it: its follow-up, not its raw events.</summary>
public sealed record AuditSearchRow(
    string Reference,
    Guid SearchId,
    string Therapist,
    string Client,
    bool ClientIsPseudonym,
    RiskLevel RiskLevel,
    DateTimeOffset OccurredAt,
    DateTimeOffset LoggedAt,
    string Status,
    DateTimeOffset? NextSessionAt,
    DateTimeOffset? DiscussedAt,
    int RemindersSent,
    int Amendments,
    bool Overdue,
    long LoggedSequence,
    CrisisSearchEntry Entry)
{
    public TimeSpan? TimeToDiscussion => DiscussedAt is { } d ? d - OccurredAt : null;
}

/// <summary>
/// The searches of an export's ledger parts whose logging falls in the range, one at a time: each from
/// its projection row (state, dates, reminders) and its decrypted <see cref="SearchLogged"/> event.
/// The state is the one at export time.
/// </summary>
public sealed class AuditSearchRows(ILedger ledger, AuditReportOptions options)
{
    public async IAsyncEnumerable<AuditSearchRow> ReadAsync(AuditExport export, DateTimeOffset now, ClientPseudonyms? pseudonyms,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var part in export.Ledgers)
        {
            await foreach (var p in ledger.ListSearchesAsync(part.LedgerId, cancellationToken))
            {
                if (p.LoggedSequence > part.LastSequence || !export.Request.InRange(p.LoggedAt))
                {
                    continue;
                }
                SearchLogged? logged = null;
                await foreach (var e in ledger.ReadAsync(p.LedgerId, p.LoggedSequence, p.LoggedSequence, cancellationToken))
                {
                    logged = e.Event as SearchLogged;
                }
                if (logged is null)
                {
                    throw new InvalidOperationException("A projection points at an event that is not its SearchLogged.");
                }
                var clientRef = p.Amendments > 0 ? await ClientRefInForceAsync(p, logged.Entry.ClientRef, cancellationToken) : logged.Entry.ClientRef;
                var client = pseudonyms is null ? clientRef : await pseudonyms.OfAsync(clientRef, cancellationToken);
                var overdue = p.State == SearchState.AwaitingDiscussion &&
                    (p.NextSessionAt is { } session ? session < now : now - p.OccurredAt > TimeSpan.FromDays(options.OverdueAfterDays));
                yield return new AuditSearchRow(SearchStatusText.Reference(p.SearchId), p.SearchId, p.LedgerId, client, pseudonyms is not null,
                    logged.Entry.Crisis.RiskLevel, p.OccurredAt, p.LoggedAt, SearchStatusText.Of(p.State), p.NextSessionAt, p.DiscussedAt,
                    p.RemindersSent.Count, p.Amendments, overdue, p.LoggedSequence, logged.Entry);
            }
        }
    }

    /// <summary>
    /// The client code in force: the one the latest <c>clientRef</c> amendment set, else the logged one.
    /// Rows, pseudonyms and the rarity counts group by it, so a corrected code counts under the corrected
    /// client. (The pseudonym re-indexes the code under the current index key, so grouping also holds
    /// across an index key rotation, which the stored blind index does not.) Read only for amended searches.
    /// </summary>
    private async Task<string> ClientRefInForceAsync(SearchProjection p, string logged, CancellationToken ct)
    {
        var inForce = logged;
        await foreach (var e in ledger.ReadAsync(p.LedgerId, p.LoggedSequence + 1, p.LastSequence, ct))
        {
            if (e.Event is EntryAmended { Field: "clientRef" } amended && amended.SearchId == p.SearchId)
            {
                inForce = amended.Value;
            }
        }
        return inForce;
    }
}

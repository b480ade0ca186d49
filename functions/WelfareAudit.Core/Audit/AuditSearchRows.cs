using System.Runtime.CompilerServices;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Audit;

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
                yield return await RowAsync(p, now, pseudonyms, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Awaiting discussion and late: its next session has passed, or, with no session known, the search is older
    /// than <see cref="AuditReportOptions.OverdueAfterDays"/>. The exports and the supervisor's oversight share this rule.
    /// </summary>
    public bool IsOverdue(SearchProjection p, DateTimeOffset now) =>
        p.State == SearchState.AwaitingDiscussion &&
        (p.NextSessionAt is { } session ? session < now : now - p.OccurredAt > TimeSpan.FromDays(options.OverdueAfterDays));

    /// <summary>One search as the readable exports show it, from its projection and its decrypted <see cref="SearchLogged"/>.</summary>
    public async Task<AuditSearchRow> RowAsync(SearchProjection p, DateTimeOffset now, ClientPseudonyms? pseudonyms, CancellationToken cancellationToken)
    {
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
        return new AuditSearchRow(SearchStatusText.Reference(p.SearchId), p.SearchId, p.LedgerId, client, pseudonyms is not null,
            logged.Entry.Crisis.RiskLevel, p.OccurredAt, p.LoggedAt, SearchStatusText.Of(p.State), p.NextSessionAt, p.DiscussedAt,
            p.RemindersSent.Count, p.Amendments, IsOverdue(p, now), p.LoggedSequence, logged.Entry, p.ReviewOutcome, p.ReviewedAt, p.Reviewer);
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

using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using static WelfareAudit.Infrastructure.Storage.StorageFaultMapper;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// The search list of a ledger from its search rows alone: one query over <c>search-…</c> from a position, and the two
/// ciphertexts each row copies from its <c>SearchLogged</c> event (<see cref="ListingColumns"/>) opened with the event's
/// associated data, so the list needs no read of an event row. A row written before the copies existed falls back to
/// reading its event. A row that cannot be read becomes a finding at its position; the listing goes on.
/// </summary>
internal sealed class TableSearchListing(LedgerTable rows, EventSealer sealer, ILedger events)
{
    public async IAsyncEnumerable<SearchListing> ListAsync(string ledgerId, Guid? after, SearchState? state, int pageHint,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RowKeys.CheckLedgerId(ledgerId);
        await rows.EnsureTableAsync(cancellationToken);
        var from = after is { } a ? RowKeys.Search(a) : RowKeys.SearchPrefix;
        const string to = RowKeys.SearchPrefix + "~";
        var filter = state is { } s
            ? TableClient.CreateQueryFilter($"PartitionKey eq {ledgerId} and RowKey gt {from} and RowKey lt {to} and State eq {s.ToString()}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {ledgerId} and RowKey gt {from} and RowKey lt {to}");
        await foreach (var row in rows.QueryAsync(filter, null, cancellationToken, Math.Clamp(pageHint, 1, 1000)))
        {
            var position = Guid.TryParseExact(row.RowKey.AsSpan(RowKeys.SearchPrefix.Length), "D", out var id) ? id : (Guid?)null;
            yield return await ReadAsync(row, position, cancellationToken);
        }
    }

    private async Task<SearchListing> ReadAsync(TableEntity row, Guid? position, CancellationToken ct)
    {
        SearchProjection p;
        try
        {
            p = ProjectionRow.FromEntity(row);
        }
        catch (Exception e) when (RowDamage.Is(e) || e is ArgumentNullException)
        {
            return Unreadable(position, RowDamage.AtProjection(row, e));
        }
        try
        {
            return new SearchListing(position, await ListingColumns.OpenAsync(row, p, sealer, ct) ?? await FromEventAsync(p, ct), null);
        }
        catch (LedgerIntegrityException e)
        {
            return Unreadable(position, e);
        }
        catch (Exception e) when (RowDamage.Is(e))
        {
            return Unreadable(position, new LedgerIntegrityException(p.LedgerId, new LedgerProblem(p.LoggedSequence, LedgerProblemKind.ModifiedRow,
                "A ciphertext the search row copies from its SearchLogged event was altered or moved."), e));
        }
        catch (Exception e) when (!ct.IsCancellationRequested && IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    /// <summary>A search row without the copies (written before they existed): its <c>SearchLogged</c> event, one point read.</summary>
    private async Task<ListedSearch> FromEventAsync(SearchProjection p, CancellationToken ct)
    {
        await foreach (var e in events.ReadAsync(p.LedgerId, p.LoggedSequence, p.LoggedSequence, ct))
        {
            if (e.Event is SearchLogged logged && logged.Id == p.SearchId)
            {
                return new ListedSearch(p, logged.Entry.ClientRef, logged.Entry.Crisis.RiskLevel);
            }
        }
        throw new LedgerIntegrityException(p.LedgerId, new LedgerProblem(p.LoggedSequence, LedgerProblemKind.ProjectionMismatch,
            "A search row points at an event that is not its SearchLogged."));
    }

    private static SearchListing Unreadable(Guid? position, LedgerIntegrityException e) => new(position, null, new LedgerFinding(e.LedgerId, e.Problem));
}

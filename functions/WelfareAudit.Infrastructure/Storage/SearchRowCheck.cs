using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// Checks a ledger's stored search rows against its events while the events stream by. The rows are read first and held
/// as their sequences and a 16-byte <see cref="SearchStateDigest"/>; each search is folded from its events and compared
/// as soon as the event its row names as its last has been folded, then its folded state is dropped. Memory: one map
/// entry per search row (80 bytes) plus one <see cref="SearchProjection"/> per open search (logged, last event not yet
/// read), instead of one projection (≈ 1 KB) per search for the whole pass.
/// </summary>
/// <param name="headBeforeSequence">
/// The head read before the rows: an event beyond it may have been appended after the rows were read, so a row that
/// does not know of it is not a finding (what is appended while the ledger is verified is checked next time).
/// </param>
internal sealed class SearchRowCheck(long headBeforeSequence)
{
    private const string Differs = "A search row's state differs from what its events say.";

    private readonly Dictionary<Guid, StoredSearch> _rows = [];
    private readonly Dictionary<Guid, SearchProjection> _open = [];

    /// <summary>The first disagreement found (reported after the chain and the head, which come first).</summary>
    public LedgerProblem? Problem { get; private set; }

    /// <summary>A stored row, with the digest of its listing copies (<see cref="ListingColumns"/>; null when it holds none).</summary>
    public void AddStoredRow(SearchProjection row, UInt128? copies = null) =>
        _rows[row.SearchId] = new StoredSearch(row.LoggedSequence, row.LastSequence, SearchStateDigest.Of(row), StoredSearch.NotSeen, copies);

    /// <summary>
    /// Folds one event of a search. Throws <see cref="InvalidOperationException"/> when it does not fit its search's history.
    /// <paramref name="loggedCopies"/>: for a <c>SearchLogged</c>, the digest of its envelopes, which the row's copies must have.
    /// </summary>
    public void Fold(Guid searchId, EventHeader header, LedgerEvent evt, UInt128? loggedCopies = null)
    {
        var sequence = header.Sequence;
        var hasRow = _rows.TryGetValue(searchId, out var row);
        if (evt is SearchLogged && hasRow && row.Copies is { } copies && copies != loggedCopies)
        {
            Report(row.LoggedSequence, "A search row's copies of its logged client code and risk level differ from the event's envelopes.");
        }
        if (evt is SearchLogged && (_open.ContainsKey(searchId) || (hasRow && row.Seen != StoredSearch.NotSeen)))
        {
            throw new InvalidOperationException("A search is logged once.");
        }
        if (_open.TryGetValue(searchId, out var current) || evt is SearchLogged)
        {
            var next = SearchProjection.Apply(current, header, evt);
            if (!hasRow)
            {
                if (sequence > headBeforeSequence && current is null)
                {
                    return; // logged after the rows were read: its row is checked next time
                }
                Report(next.LoggedSequence, "A logged search has no search row.");
                _open[searchId] = next; // still folded: a later event that does not fit is a modified row
                return;
            }
            if (next.LastSequence == row.LastSequence)
            {
                _open.Remove(searchId);
                _rows[searchId] = row with { Seen = StoredSearch.Compared };
                if (SearchStateDigest.Of(next) != row.Digest)
                {
                    Report(row.LoggedSequence, Differs);
                }
                return;
            }
            _open[searchId] = next;
            _rows[searchId] = row with { Seen = StoredSearch.Open };
            return;
        }
        if (hasRow && row.Seen == StoredSearch.Compared)
        {
            // An event after the one the row names as its last: a stale row, unless it was appended after the rows were read.
            if (sequence <= headBeforeSequence)
            {
                Report(row.LoggedSequence, Differs);
            }
            return;
        }
        if (sequence > headBeforeSequence && !hasRow)
        {
            return; // of a search logged after the rows were read
        }
        SearchProjection.Apply(null, header, evt); // throws: the search was never logged
    }

    /// <summary>After the last event (<paramref name="last"/>): the rows whose events were not all there.</summary>
    public LedgerProblem? Finish(long last)
    {
        foreach (var row in _rows.Values)
        {
            if (row.Seen == StoredSearch.NotSeen && row.LoggedSequence <= last)
            {
                Report(row.LoggedSequence, "A search row exists for which no event was logged.");
            }
            else if (row.Seen == StoredSearch.Open && row.LastSequence <= last)
            {
                Report(row.LoggedSequence, Differs); // the row names a last event the search does not have
            }
            // Otherwise compared, or logged or changed while we verified (the row is newer than the events we read).
        }
        return Problem;
    }

    private void Report(long sequence, string detail) =>
        Problem ??= new LedgerProblem(sequence, LedgerProblemKind.ProjectionMismatch, detail);
}

using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Ledger;

/// <summary>
/// A therapist's append-only, hash-chained, encrypted ledger. One chain per ledger id (the therapist's
/// stable principal id). Appends are atomic; concurrent appends never fork the chain.
/// </summary>
public interface ILedger
{
    /// <summary>
    /// Appends the event <paramref name="decide"/> returns, given the current projection of
    /// <paramref name="searchId"/> (null when there is none). The decision runs against the state the
    /// append is checked against, so it may run more than once if another writer wins the race; it may
    /// return null (nothing to append: the result is then null) or throw to refuse.
    /// </summary>
    Task<AppendResult?> AppendAsync(string ledgerId, string actor, Guid? searchId, Func<SearchProjection?, LedgerEvent?> decide, CancellationToken cancellationToken) =>
        AppendAsync(ledgerId, actor, searchId, decide, null, cancellationToken);

    /// <inheritdoc cref="AppendAsync(string, string, Guid?, Func{SearchProjection?, LedgerEvent?}, CancellationToken)"/>
    Task<AppendResult?> AppendAsync(string ledgerId, string actor, Guid? searchId, Func<SearchProjection?, LedgerEvent?> decide, IdempotencyClaim? idempotency, CancellationToken cancellationToken);

    /// <summary>
    /// Logs a new search: the same as <see cref="AppendAsync(string, string, Guid?, Func{SearchProjection?, LedgerEvent?}, IdempotencyClaim?, CancellationToken)"/>
    /// with a decision that requires the search not to exist, which lets the ledger skip reading its projection.
    /// </summary>
    Task<AppendResult> AppendNewSearchAsync(string ledgerId, string actor, SearchLogged logged, IdempotencyClaim? idempotency, CancellationToken cancellationToken);

    /// <summary>Finds which ledger holds a search (for a supervisor, who reads every ledger).</summary>
    Task<SearchProjection?> FindSearchAsync(Guid searchId, CancellationToken cancellationToken);

    Task<LedgerHead?> GetHeadAsync(string ledgerId, CancellationToken cancellationToken);

    Task<SearchProjection?> GetSearchAsync(string ledgerId, Guid searchId, CancellationToken cancellationToken);

    IAsyncEnumerable<SearchProjection> ListSearchesAsync(string ledgerId, CancellationToken cancellationToken);

    /// <summary>
    /// The searches of a ledger for a list, in the order of <see cref="SearchListing.OrderKey"/>, those after
    /// <paramref name="after"/> (null: from the first) and, when <paramref name="state"/> is given, only in that state;
    /// each with its client code and risk level decrypted. One query, read only as far as the caller pulls, about
    /// <paramref name="pageHint"/> rows per storage request. A row that cannot be read is yielded as a finding at its
    /// position, and the listing goes on.
    /// </summary>
    IAsyncEnumerable<SearchListing> ListSearchPageAsync(string ledgerId, Guid? after, SearchState? state, int pageHint, CancellationToken cancellationToken);

    /// <summary>
    /// The searches of a ledger that are in <paramref name="state"/>, as <see cref="ListSearchesAsync(string, CancellationToken)"/>
    /// filtered; a store that can filter on its side does, so that a job reading every ledger (the reminder sweep)
    /// receives the open searches, not every search ever logged.
    /// </summary>
    IAsyncEnumerable<SearchProjection> ListSearchesAsync(string ledgerId, SearchState state, CancellationToken cancellationToken) =>
        ListSearchesAsync(ledgerId, cancellationToken).Where(p => p.State == state);

    /// <summary>
    /// The ids of every ledger that has at least one row of any kind (event, head, search, idempotency,
    /// lease), so that a ledger whose head row was deleted is still found (and then fails verification).
    /// </summary>
    IAsyncEnumerable<string> ListLedgersAsync(CancellationToken cancellationToken);

    /// <summary>As <see cref="ListLedgersAsync"/>, only the ids from <paramref name="from"/> on (ordinal order, inclusive): where a paged list resumes.</summary>
    IAsyncEnumerable<string> ListLedgersFromAsync(string from, CancellationToken cancellationToken);

    /// <summary>Events in sequence order, decrypted, from <paramref name="fromSequence"/> through <paramref name="toSequence"/>.</summary>
    IAsyncEnumerable<RecordedEvent> ReadAsync(string ledgerId, long fromSequence, long? toSequence, CancellationToken cancellationToken);

    /// <summary>Checks the whole chain, every ciphertext and the head; names the first problem.</summary>
    Task<LedgerVerification> VerifyAsync(string ledgerId, CancellationToken cancellationToken) => VerifyAsync(ledgerId, null, cancellationToken);

    /// <summary>
    /// Checks the whole chain, every ciphertext, the head and the search rows, as <see cref="VerifyAsync(string, CancellationToken)"/>;
    /// in the same pass hands <paramref name="verified"/> each event once its row, link, hash and ciphertexts have checked, in
    /// sequence order from 1, every sensitive field opened (so that an export reads the ledger once). What it was handed counts
    /// only when the result is <see cref="LedgerVerification.Ok"/>: a problem found later (a head or a search row that
    /// disagrees) fails the ledger after the events before it were handed over. The events handed over are exactly
    /// 1 through the result's <see cref="LedgerVerification.Events"/> when it is Ok.
    /// </summary>
    Task<LedgerVerification> VerifyAsync(string ledgerId, Func<Audit.AuditEventRecord, CancellationToken, ValueTask>? verified, CancellationToken cancellationToken);

    /// <summary>
    /// Takes a named, time-limited lease on a ledger (ETag-guarded), so that of two jobs racing over the
    /// same ledger (duplicate timer firings, scaled-out instances) only one proceeds. False when another
    /// holder's lease has not expired.
    /// </summary>
    Task<bool> TryAcquireLeaseAsync(string ledgerId, string name, string holder, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives a lease back early; does nothing if another holder has it by now.</summary>
    Task ReleaseLeaseAsync(string ledgerId, string name, string holder, CancellationToken cancellationToken);
}

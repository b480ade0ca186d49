using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Ledger;

/// <summary>
/// The outcome of an append: where the event landed in the chain. <see cref="Replayed"/> is true when an
/// idempotent retry returned the result of the original append instead of appending again.
/// </summary>
public sealed record AppendResult(long Sequence, string Hash, DateTimeOffset RecordedAt, Guid? SearchId = null, bool Replayed = false);

/// <summary>
/// Makes an append idempotent: the first append with <see cref="KeyHash"/> is recorded in the same
/// transaction as its event; a later one with the same request returns that result, and one with a
/// different request is refused. Both values are hashes: the raw key and body are never stored.
/// </summary>
public sealed record IdempotencyClaim(string KeyHash, string RequestHash);

/// <summary>The idempotency key was used before for a different request.</summary>
public sealed class IdempotencyConflictException() : Exception("The Idempotency-Key was already used for a different request.");

/// <summary>An event read back from a ledger, decrypted.</summary>
public sealed record RecordedEvent(EventHeader Header, LedgerEvent Event, string Hash);

/// <summary>The head of a ledger: its last sequence and hash.</summary>
public sealed record LedgerHead(string LedgerId, long Sequence, string Hash);

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
    /// The ids of every ledger that has at least one row of any kind (event, head, search, idempotency,
    /// lease), so that a ledger whose head row was deleted is still found (and then fails verification).
    /// </summary>
    IAsyncEnumerable<string> ListLedgersAsync(CancellationToken cancellationToken);

    /// <summary>Events in sequence order, decrypted, from <paramref name="fromSequence"/> through <paramref name="toSequence"/>.</summary>
    IAsyncEnumerable<RecordedEvent> ReadAsync(string ledgerId, long fromSequence, long? toSequence, CancellationToken cancellationToken);

    /// <summary>Checks the whole chain, every ciphertext and the head; names the first problem.</summary>
    Task<LedgerVerification> VerifyAsync(string ledgerId, CancellationToken cancellationToken);

    /// <summary>
    /// Takes a named, time-limited lease on a ledger (ETag-guarded), so that of two jobs racing over the
    /// same ledger (duplicate timer firings, scaled-out instances) only one proceeds. False when another
    /// holder's lease has not expired.
    /// </summary>
    Task<bool> TryAcquireLeaseAsync(string ledgerId, string name, string holder, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives a lease back early; does nothing if another holder has it by now.</summary>
    Task ReleaseLeaseAsync(string ledgerId, string name, string holder, CancellationToken cancellationToken);
}

/// <summary>What kind of break <c>Verify</c> found.</summary>
public enum LedgerProblemKind
{
    /// <summary>A stored row's content no longer matches its hash or its link.</summary>
    ModifiedRow,

    /// <summary>A sequence number has no row: an event was deleted.</summary>
    MissingRow,

    /// <summary>A row holds the event of another position.</summary>
    ReorderedRows,

    /// <summary>A row exists that the ledger never appended (beyond the head).</summary>
    InsertedRow,

    /// <summary>A ciphertext does not belong to its row and field (moved from elsewhere).</summary>
    CiphertextMoved,

    /// <summary>The head row disagrees with the last event.</summary>
    HeadMismatch,

    /// <summary>
    /// The ledger has rows (events, search rows, idempotency or lease rows) but no head row: the head was
    /// deleted. Its ledger is still found and listed, because ledgers are found from any of their rows.
    /// </summary>
    MissingHead,

    /// <summary>A search's projection row disagrees with the state its events fold to (for example, marked discussed without a discussion).</summary>
    ProjectionMismatch,
}

/// <summary>The first problem found, at a sequence. The detail never contains client data.</summary>
public sealed record LedgerProblem(long Sequence, LedgerProblemKind Kind, string Detail);

/// <summary>The result of verifying one ledger.</summary>
public sealed record LedgerVerification(string LedgerId, long Events, string HeadHash, LedgerProblem? Problem)
{
    public bool Ok => Problem is null;
}

/// <summary>Another writer appended first; the caller re-reads and retries.</summary>
public sealed class LedgerConflictException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Storage (or the key store) cannot be reached now; the operation may be retried later.</summary>
public sealed class LedgerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A stored row would exceed a limit of Azure Table storage; names the property, never its value.</summary>
public sealed class StorageLimitException(string message) : Exception(message);

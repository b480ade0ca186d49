using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Testing;

/// <summary>
/// One stored event of the <see cref="InMemoryLedger"/>: what the chain hashes (header, clear fields,
/// commitments, link, hash), and each sensitive value with the salt of its commitment, which the Table
/// ledger keeps encrypted instead.
/// </summary>
public sealed record InMemoryEvent(
    EventHeader Header,
    IReadOnlyDictionary<string, string> Clear,
    IReadOnlyDictionary<string, byte[]> Commitments,
    IReadOnlyDictionary<string, FieldOpening> Openings,
    string PrevHash,
    string Hash);

/// <summary>
/// A complete <see cref="ILedger"/> in memory, for fast tests of the use cases; it never ships. It keeps
/// the same hash chain as the Table ledger (<see cref="CanonicalEvent"/>, <see cref="FieldCommitment"/>,
/// <see cref="ChainHash"/>), the same projections (<see cref="SearchProjection.Apply"/>), idempotency
/// claims, named leases that expire on its <see cref="TimeProvider"/>, and a <see cref="VerifyAsync"/> that
/// recomputes everything. Every operation runs under one lock, so an append is atomic and two appends
/// never fork a chain. <see cref="LedgerContract"/> holds it to the same behaviour as the Table ledger.
/// It is also the <see cref="IAuditLedgerReader"/> of its events, as the Table audit reader is of rows.
/// </summary>
public sealed class InMemoryLedger(TimeProvider time) : ILedger, IAuditLedgerReader
{
    private static readonly string GenesisHex = ChainHash.ToHex(ChainHash.Genesis);
    private static readonly IReadOnlyList<string> NoReminders = [];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LedgerState> _ledgers = new(StringComparer.Ordinal);

    public Task<AppendResult?> AppendAsync(string ledgerId, string actor, Guid? searchId, Func<SearchProjection?, LedgerEvent?> decide, CancellationToken cancellationToken) =>
        AppendAsync(ledgerId, actor, searchId, decide, null, cancellationToken);

    public Task<AppendResult?> AppendAsync(string ledgerId, string actor, Guid? searchId, Func<SearchProjection?, LedgerEvent?> decide, IdempotencyClaim? idempotency, CancellationToken cancellationToken)
    {
        CheckLedgerId(ledgerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (idempotency is not null && !IsSha256Hex(idempotency.KeyHash))
        {
            throw new ArgumentException("An idempotency key hash is 64 lower-case hex digits.", nameof(idempotency));
        }
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var ledger = State(ledgerId);
            if (idempotency is not null && ledger.Claims.TryGetValue(idempotency.KeyHash, out var done))
            {
                // The original append is recorded: the same request gets its result, another one is refused.
                return Task.FromResult<AppendResult?>(string.Equals(done.RequestHash, idempotency.RequestHash, StringComparison.Ordinal)
                    ? done.Result with { Replayed = true }
                    : throw new IdempotencyConflictException());
            }

            var projection = searchId is null ? null : ledger.Searches.GetValueOrDefault(searchId.Value);
            var evt = decide(projection);
            if (evt is null)
            {
                return Task.FromResult<AppendResult?>(null);
            }
            if (evt.SearchId != searchId)
            {
                throw new InvalidOperationException("The event belongs to another search than the one the append was checked against.");
            }

            // Everything is computed before anything is stored: a failure leaves the ledger as it was.
            var header = new EventHeader(ledgerId, ledger.Events.Count + 1, evt.Type, time.GetUtcNow(), actor);
            var stored = Seal(header, evt.ToFields(), ledger.HeadHash);
            var updated = searchId is null ? null : SearchProjection.Apply(projection, header, evt);

            ledger.Events.Add(stored);
            if (updated is not null)
            {
                ledger.Searches[updated.SearchId] = updated;
            }
            var result = new AppendResult(header.Sequence, stored.Hash, header.RecordedAt, evt.SearchId);
            if (idempotency is not null)
            {
                ledger.Claims[idempotency.KeyHash] = (idempotency.RequestHash, result);
            }
            return Task.FromResult<AppendResult?>(result);
        }
    }

    public async Task<AppendResult> AppendNewSearchAsync(string ledgerId, string actor, SearchLogged logged, IdempotencyClaim? idempotency, CancellationToken cancellationToken) =>
        (await AppendAsync(ledgerId, actor, logged.Id,
            existing => existing is null ? logged : throw new InvalidOperationException("A search with this id exists."),
            idempotency, cancellationToken))!;

    public Task<SearchProjection?> FindSearchAsync(Guid searchId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_ledgers.Values.Select(l => l.Searches.GetValueOrDefault(searchId)).FirstOrDefault(p => p is not null));
        }
    }

    public Task<LedgerHead?> GetHeadAsync(string ledgerId, CancellationToken cancellationToken)
    {
        CheckLedgerId(ledgerId);
        lock (_lock)
        {
            return Task.FromResult(_ledgers.TryGetValue(ledgerId, out var l) && l.Events.Count > 0 ? new LedgerHead(ledgerId, l.Events.Count, l.HeadHash) : null);
        }
    }

    public Task<SearchProjection?> GetSearchAsync(string ledgerId, Guid searchId, CancellationToken cancellationToken)
    {
        CheckLedgerId(ledgerId);
        lock (_lock)
        {
            return Task.FromResult(_ledgers.TryGetValue(ledgerId, out var l) ? l.Searches.GetValueOrDefault(searchId) : null);
        }
    }

    public IAsyncEnumerable<SearchProjection> ListSearchesAsync(string ledgerId, CancellationToken cancellationToken)
    {
        CheckLedgerId(ledgerId);
        lock (_lock)
        {
            return StreamAsync(_ledgers.TryGetValue(ledgerId, out var l) ? l.Searches.Values.OrderBy(p => p.LoggedSequence).ToList() : [], cancellationToken);
        }
    }

    /// <summary>
    /// The searches after <paramref name="after"/> in the listing's order, as of the call (a snapshot, like one query), each
    /// with the client code and risk level of its <c>SearchLogged</c> event. This store cannot hold an unreadable row.
    /// </summary>
    public IAsyncEnumerable<SearchListing> ListSearchPageAsync(string ledgerId, Guid? after, SearchState? state, int pageHint, CancellationToken cancellationToken)
    {
        CheckLedgerId(ledgerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageHint, 1);
        lock (_lock)
        {
            var rows = !_ledgers.TryGetValue(ledgerId, out var l) ? [] : l.Searches.Values
                .Where(p => SearchListing.IsAfter(p.SearchId, after) && (state is null || p.State == state))
                .OrderBy(p => SearchListing.OrderKey(p.SearchId), StringComparer.Ordinal)
                .Select(p => new SearchListing(p.SearchId, Listed(l, p), null))
                .ToList();
            return StreamAsync(rows, cancellationToken);
        }
    }

    public IAsyncEnumerable<string> ListLedgersAsync(CancellationToken cancellationToken) => ListLedgersFromAsync("", cancellationToken);

    public IAsyncEnumerable<string> ListLedgersFromAsync(string from, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return StreamAsync(_ledgers.Where(p => p.Value.Events.Count > 0 && string.CompareOrdinal(p.Key, from) >= 0)
                .Select(p => p.Key).Order(StringComparer.Ordinal).ToList(), cancellationToken);
        }
    }

    public IAsyncEnumerable<RecordedEvent> ReadAsync(string ledgerId, long fromSequence, long? toSequence, CancellationToken cancellationToken) =>
        StreamAsync(Range(ledgerId, fromSequence, toSequence).Select(e => new RecordedEvent(e.Header,
            LedgerEventCodec.Decode(e.Header.Type, e.Clear, e.Openings.ToDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal)), e.Hash)).ToList(), cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<AuditEventRecord> ReadAsync(string ledgerId, long fromSequence, long toSequence, Func<EventHeader, bool> open, CancellationToken cancellationToken) =>
        StreamAsync(Range(ledgerId, fromSequence, toSequence).Select(e =>
            new AuditEventRecord(e.Header, e.Clear, e.Commitments, e.Commitments.Count > 0 && open(e.Header) ? e.Openings : null, e.PrevHash, e.Hash)).ToList(), cancellationToken);

    public Task<LedgerVerification> VerifyAsync(string ledgerId, CancellationToken cancellationToken) => VerifyAsync(ledgerId, null, cancellationToken);

    /// <inheritdoc/>
    public async Task<LedgerVerification> VerifyAsync(string ledgerId, Func<AuditEventRecord, CancellationToken, ValueTask>? verified, CancellationToken cancellationToken)
    {
        CheckLedgerId(ledgerId);
        LedgerVerification result;
        List<InMemoryEvent> checkedEvents;
        lock (_lock)
        {
            if (!_ledgers.TryGetValue(ledgerId, out var l))
            {
                return new LedgerVerification(ledgerId, 0, GenesisHex, null);
            }
            result = Verify(ledgerId, l);
            checkedEvents = verified is null ? [] : l.Events.Take(checked((int)result.Events)).ToList();
        }
        // The events that checked, in order, every field opened: what the table ledger hands over during its pass.
        foreach (var e in checkedEvents)
        {
            await verified!(new AuditEventRecord(e.Header, e.Clear, e.Commitments, e.Openings, e.PrevHash, e.Hash), cancellationToken);
        }
        return result;
    }

    public Task<bool> TryAcquireLeaseAsync(string ledgerId, string name, string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        CheckLedgerId(ledgerId);
        CheckLeaseName(name);
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var leases = State(ledgerId).Leases;
            if (leases.TryGetValue(name, out var current) && current.Until > now && current.Holder != holder)
            {
                return Task.FromResult(false);
            }
            leases[name] = (holder, now + duration);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseLeaseAsync(string ledgerId, string name, string holder, CancellationToken cancellationToken)
    {
        CheckLedgerId(ledgerId);
        CheckLeaseName(name);
        lock (_lock)
        {
            var leases = State(ledgerId).Leases;
            if (leases.TryGetValue(name, out var current) && current.Holder == holder)
            {
                leases.Remove(name);
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>Changes a stored event behind the ledger's back (what an attacker with storage access could do), for tests of what a broken chain does to a use case.</summary>
    public void Tamper(string ledgerId, long sequence, Func<InMemoryEvent, InMemoryEvent> change)
    {
        lock (_lock)
        {
            var events = _ledgers[ledgerId].Events;
            events[checked((int)sequence - 1)] = change(events[checked((int)sequence - 1)]);
        }
    }

    private LedgerState State(string ledgerId)
    {
        if (!_ledgers.TryGetValue(ledgerId, out var ledger))
        {
            ledger = new LedgerState();
            _ledgers[ledgerId] = ledger;
        }
        return ledger;
    }

    private static ListedSearch Listed(LedgerState ledger, SearchProjection p)
    {
        var openings = ledger.Events[checked((int)p.LoggedSequence - 1)].Openings;
        return new ListedSearch(p, openings["clientRef"].Value,
            EnumText.TryParse<RiskLevel>(openings["riskLevel"].Value, out var risk) ? risk : throw new FormatException("Unknown RiskLevel in ledger."));
    }

    private List<InMemoryEvent> Range(string ledgerId, long fromSequence, long? toSequence)
    {
        CheckLedgerId(ledgerId);
        lock (_lock)
        {
            if (!_ledgers.TryGetValue(ledgerId, out var l))
            {
                return [];
            }
            var from = Math.Max(1, fromSequence);
            var to = Math.Min(l.Events.Count, toSequence ?? long.MaxValue);
            return from > to ? [] : l.Events.GetRange((int)from - 1, (int)(to - from + 1));
        }
    }

    private static InMemoryEvent Seal(EventHeader header, EventFields fields, string prevHash)
    {
        var commitments = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var openings = new SortedDictionary<string, FieldOpening>(StringComparer.Ordinal);
        foreach (var (name, value) in fields.Sensitive)
        {
            var salt = FieldCommitment.NewSalt();
            commitments[name] = FieldCommitment.Compute(name, salt, value);
            openings[name] = new FieldOpening(value, salt);
        }
        var clear = new SortedDictionary<string, string>(fields.Clear, StringComparer.Ordinal);
        return new InMemoryEvent(header, clear, commitments, openings, prevHash, HashOf(header, clear, commitments, prevHash));
    }

    private static string HashOf(EventHeader header, IReadOnlyDictionary<string, string> clear, IReadOnlyDictionary<string, byte[]> commitments, string prevHash) =>
        ChainHash.ToHex(ChainHash.Next(Convert.FromHexString(prevHash), CanonicalEvent.Encode(header, clear, commitments)));

    /// <summary>The same checks as the Table ledger's verifier, on what this store can lose: links, hashes, commitments, projections.</summary>
    private static LedgerVerification Verify(string ledgerId, LedgerState ledger)
    {
        var previous = GenesisHex;
        var folded = new Dictionary<Guid, SearchProjection>();
        long verified = 0;
        LedgerVerification Fail(long sequence, LedgerProblemKind kind, string detail) => new(ledgerId, verified, previous, new LedgerProblem(sequence, kind, detail));

        foreach (var e in ledger.Events)
        {
            var sequence = verified + 1;
            if (e.Header.Sequence != sequence || e.Header.LedgerId != ledgerId)
            {
                return Fail(sequence, LedgerProblemKind.ReorderedRows, $"Position {sequence} holds another position's event.");
            }
            if (e.PrevHash != previous)
            {
                return Fail(sequence, LedgerProblemKind.ModifiedRow, "The event does not link to the previous event's hash.");
            }
            if (HashOf(e.Header, e.Clear, e.Commitments, e.PrevHash) != e.Hash)
            {
                return Fail(sequence, LedgerProblemKind.ModifiedRow, "The event's content does not match its hash.");
            }
            if (!e.Commitments.Keys.Order(StringComparer.Ordinal).SequenceEqual(e.Openings.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal) ||
                e.Openings.Any(o => !CryptographicOperations.FixedTimeEquals(FieldCommitment.Compute(o.Key, o.Value.Salt, o.Value.Value), e.Commitments[o.Key])))
            {
                return Fail(sequence, LedgerProblemKind.ModifiedRow, "A sensitive value does not match its commitment.");
            }
            if (LedgerEventCodec.SearchIdOf(e.Clear) is { } searchId)
            {
                try
                {
                    var evt = LedgerEventCodec.Decode(e.Header.Type, e.Clear, e.Openings.ToDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal));
                    folded[searchId] = SearchProjection.Apply(folded.GetValueOrDefault(searchId), e.Header, evt);
                }
                catch (Exception x) when (x is FormatException or KeyNotFoundException or InvalidOperationException or System.Text.Json.JsonException)
                {
                    return Fail(sequence, LedgerProblemKind.ModifiedRow, "The event cannot be read as its type, or does not fit its search's history.");
                }
            }
            previous = e.Hash;
            verified++;
        }

        foreach (var (searchId, stored) in ledger.Searches)
        {
            if (!folded.Remove(searchId, out var expected) || !SameState(expected, stored))
            {
                return Fail(stored.LoggedSequence, LedgerProblemKind.ProjectionMismatch, "A search's stored state differs from what its events say.");
            }
        }
        return folded.Count > 0
            ? Fail(folded.Values.First().LoggedSequence, LedgerProblemKind.ProjectionMismatch, "A logged search has no stored state.")
            : new LedgerVerification(ledgerId, verified, previous, null);
    }

    // Records compare lists by reference: compare the reminders by content, everything else as the record does.
    private static bool SameState(SearchProjection a, SearchProjection b) =>
        a with { RemindersSent = NoReminders } == b with { RemindersSent = NoReminders } && a.RemindersSent.SequenceEqual(b.RemindersSent, StringComparer.Ordinal);

    private static void CheckLedgerId(string ledgerId)
    {
        if (!LedgerIds.IsValid(ledgerId))
        {
            throw new ArgumentException("A ledger id is 1-128 ASCII letters, digits, '-', '_' or '.'.", nameof(ledgerId));
        }
    }

    private static void CheckLeaseName(string name)
    {
        if (name.Length is 0 or > 64 || !name.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("A lease name is 1-64 ASCII letters or digits.", nameof(name));
        }
    }

    private static bool IsSha256Hex(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);

    /// <summary>A snapshot, handed out one item at a time with a yield between items, so readers interleave with writers as they do against storage.</summary>
    private static async IAsyncEnumerable<T> StreamAsync<T>(IReadOnlyList<T> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
    }

    private sealed class LedgerState
    {
        public List<InMemoryEvent> Events { get; } = [];

        public Dictionary<Guid, SearchProjection> Searches { get; } = [];

        public Dictionary<string, (string RequestHash, AppendResult Result)> Claims { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, (string Holder, DateTimeOffset Until)> Leases { get; } = new(StringComparer.Ordinal);

        public string HeadHash => Events.Count == 0 ? GenesisHex : Events[^1].Hash;
    }
}

using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Polly;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Infrastructure.Crypto;
using static WelfareAudit.Infrastructure.Storage.StorageFaultMapper;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// Appends to a ledger: each event in an entity-group transaction with the head and its projection (and the
/// idempotency row), guarded by the head's ETag, so two writers can never both extend the same head and
/// the chain cannot fork. The loser of the race re-reads and retries; a failure that is no race (rows
/// changed outside the application) stops as a <see cref="LedgerIntegrityException"/>. Writers of one
/// ledger in this process that arrive while a transaction is in flight are committed together in the
/// next one (the group commit, TableLedgerAppender.GroupCommit.cs).
/// </summary>
internal sealed partial class TableLedgerAppender
{
    private readonly LedgerTable _rows;
    private readonly EventSealer _sealer;
    private readonly IKeyRing _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _appendPipeline;
    private readonly ConcurrentDictionary<string, LedgerQueue> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HeadState> _heads = new(StringComparer.Ordinal);

    // The highest sequence this process has seen committed per ledger: a head that later reads as absent was deleted.
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);

    public TableLedgerAppender(LedgerTable rows, EventSealer sealer, IKeyRing keys, TimeProvider time, ResiliencePipeline appendPipeline, ILogger logger)
    {
        _rows = rows;
        _sealer = sealer;
        _keys = keys;
        _time = time;
        _logger = logger;
        // The ETag race's retry inside one overall deadline: see LedgerAppendPipeline.
        _appendPipeline = appendPipeline;
    }

    public async Task<AppendResult?> AppendAsync(string ledgerId, string actor, Guid? searchId, Func<SearchProjection?, LedgerEvent?> decide, IdempotencyClaim? idempotency, bool newSearch, CancellationToken cancellationToken)
    {
        RowKeys.CheckLedgerId(ledgerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await _rows.EnsureTableAsync(cancellationToken);

        // Writers in this process queue per ledger, so they do not fight each other over the ETag: one of
        // them commits what is queued (see the group commit); the ETag still arbitrates between processes
        // (scale-out instances, the timer and HTTP hosts).
        var pending = new PendingAppend(actor, searchId, decide, idempotency, newSearch, cancellationToken);
        var queue = _queues.GetOrAdd(ledgerId, static _ => new LedgerQueue());
        if (queue.Enqueue(pending))
        {
            await DrainAsync(ledgerId, queue, pending);
        }
        return await pending.Task;
    }

    /// <summary>One append on its own, as it always was: the ETag race retried by the pipeline, every check of <see cref="TryAppendAsync"/>.</summary>
    private async Task AppendAloneAsync(string ledgerId, PendingAppend p)
    {
        var ct = p.CancellationToken;
        try
        {
            var attempts = new Attempts();
            p.TrySetResult(await Guard(() => _appendPipeline.ExecuteAsync(
                async token => await TryAppendAsync(ledgerId, p.Actor, p.SearchId, p.Decide, p.Idempotency, attempts, p.NewSearch, token), ct), ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            p.TrySetCanceled(ct);
        }
        catch (Exception e)
        {
            p.TrySetException(e);
        }
    }

    /// <summary>
    /// One attempt. The first attempt is optimistic: it trusts this process's cached head, does not look
    /// for an idempotency row, and does not read the projection of a brand-new search; the transaction
    /// checks all three (head ETag, Add of the idempotency and projection rows), so a wrong guess costs a
    /// failed transaction, after which every later attempt reads everything afresh.
    /// </summary>
    private async Task<AppendResult?> TryAppendAsync(string ledgerId, string actor, Guid? searchId, Func<SearchProjection?, LedgerEvent?> decide,
        IdempotencyClaim? idempotency, Attempts attempts, bool newSearch, CancellationToken ct)
    {
        var optimistic = attempts.Count++ == 0;
        // An idempotent retry: the original append and its idempotency row committed together.
        if (idempotency is not null && !optimistic && await ReplayAsync(ledgerId, idempotency, ct) is { } replay)
        {
            return replay;
        }

        // Head first, then the projection: a projection read after the head can only be newer, and
        // then the head's ETag check fails and we retry; never the other way round.
        HeadState? head;
        if (optimistic && _heads.TryGetValue(ledgerId, out var cached))
        {
            head = cached;
        }
        else
        {
            head = await ReadHeadStateAsync(ledgerId, ct);
            if (head is null && _seen.TryGetValue(ledgerId, out var seen))
            {
                // This process saw the ledger at `seen`; starting a new chain at 1 would hide the deletion.
                throw Tampered(ledgerId, new LedgerProblem(seen, LedgerProblemKind.MissingHead, "The ledger's head row is gone although the ledger had events: it was deleted."));
            }
            if (attempts.Lost && OccupiedBehindHead(attempts.LostWith, head, attempts.LostAt) is { } problem)
            {
                throw Tampered(ledgerId, problem);
            }
        }
        var projectionRow = searchId is null || (optimistic && newSearch) ? null : await _rows.GetEntityOrNullAsync(ledgerId, RowKeys.Search(searchId.Value), ct);
        var projection = projectionRow is null ? null : ProjectionRow.FromEntity(projectionRow);

        LedgerEvent? evt;
        try
        {
            evt = decide(projection);
        }
        catch (Exception) when (idempotency is not null && optimistic)
        {
            // The decision may refuse because the original of this retried request already changed the
            // state (e.g. "already discussed"): then answer with the original's result instead.
            if (await ReplayAsync(ledgerId, idempotency, ct) is { } original)
            {
                return original;
            }
            throw;
        }
        if (evt is null)
        {
            return null;
        }
        var staged = await StageAsync(ledgerId, actor, searchId, evt, projection, projectionRow, idempotency, (head?.Sequence ?? 0) + 1, head?.Hash ?? ChainHash.ToHex(ChainHash.Genesis), ct);
        var sequence = staged.Header.Sequence;
        var sealedEvent = staged.Sealed;
        var newHead = NewHead(ledgerId, sequence, sealedEvent.Hash);
        var actions = new List<TableTransactionAction>(4)
        {
            staged.EventAction,
            head is null
                ? new TableTransactionAction(TableTransactionActionType.Add, newHead)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, newHead, head.ETag),
        };
        if (staged.ProjectionAction is { } projectionAction)
        {
            actions.Add(projectionAction);
        }
        if (staged.IdempotencyAction is { } idempotencyAction)
        {
            actions.Add(idempotencyAction);
        }
        // Each row was checked when it was built; what is left is the transaction's own limits.
        TableLimits.CheckTransaction(actions.Count, staged.Bytes + TableLimits.Check(newHead));

        Response<IReadOnlyList<Response>> committed;
        try
        {
            committed = await _rows.Client.SubmitTransactionAsync(actions, ct);
        }
        catch (TableTransactionFailedException e) when (e.Status is 404)
        {
            // The app never deletes a head or a search row; one that was read (or cached) and is gone now was removed.
            _heads.TryRemove(ledgerId, out _);
            throw Tampered(ledgerId, new LedgerProblem(sequence, LedgerProblemKind.MissingHead, "A row the append relied on (the head or the search row) was deleted."), e);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            _heads.TryRemove(ledgerId, out _);
            if (idempotency is not null && await ReplayAsync(ledgerId, idempotency, ct) is { } original)
            {
                return original;
            }
            // Settled by the next attempt's fresh head read: a race moved the head, tampering did not. Only a
            // failure of the event row's insert (action 0) can mean a row beyond the head; a new search's
            // projection row that already exists (the optimistic path did not read it) means the id is taken,
            // which the next attempt's decision refuses. When the service does not say which action failed,
            // the optimistic new-search attempt is not counted as a lost slot.
            var failedAt = e.FailedTransactionActionIndex;
            var eventSlotLost = failedAt is 0 || (failedAt is null && !(optimistic && newSearch));
            (attempts.Lost, attempts.LostWith, attempts.LostAt) = (eventSlotLost, head, sequence);
            throw new LedgerConflictException("Another writer extended the ledger first.", e);
        }
        Committed(ledgerId, sequence, sealedEvent.Hash, committed.Value.Count > 1 ? committed.Value[1].Headers.ETag : null);
        Log.Appended(_logger, ledgerId, sequence, evt.Type);
        return staged.Result;
    }

    /// <summary>
    /// After a transaction committed the ledger up to <paramref name="sequence"/> (one append or a group): the highest
    /// sequence this process has seen, and the head it wrote cached under its new ETag (forgotten when the answer has none).
    /// </summary>
    private void Committed(string ledgerId, long sequence, string hash, ETag? headETag)
    {
        _seen.AddOrUpdate(ledgerId, sequence, (_, before) => Math.Max(before, sequence));
        if (headETag is { } etag)
        {
            _heads[ledgerId] = new HeadState(sequence, hash, etag);
        }
        else
        {
            _heads.TryRemove(ledgerId, out _);
        }
    }

    /// <summary>
    /// Seals a decided event at <paramref name="sequence"/> after <paramref name="prevHash"/> and builds its rows: the
    /// event, the search's projection (added, or replaced under the ETag it was read with) and the idempotency
    /// record. Each row is checked against Table storage's limits; the head is the caller's.
    /// </summary>
    private async Task<StagedAppend> StageAsync(string ledgerId, string actor, Guid? searchId, LedgerEvent evt, SearchProjection? projection, TableEntity? projectionRow,
        IdempotencyClaim? idempotency, long sequence, string prevHash, CancellationToken ct)
    {
        if (evt.SearchId != searchId)
        {
            throw new InvalidOperationException("The event belongs to another search than the one the append was checked against.");
        }
        var header = new EventHeader(ledgerId, sequence, evt.Type, _time.GetUtcNow(), actor);
        var sealedEvent = await _sealer.SealAsync(header, evt.ToFields(), prevHash, ct);
        var eventRow = EventRow.ToEntity(sealedEvent);
        var bytes = TableLimits.Check(eventRow);
        TableTransactionAction? projectionAction = null;
        if (searchId is not null)
        {
            var updated = ListingColumns.Carry(ProjectionRow.ToEntity(SearchProjection.Apply(projection, header, evt)), sealedEvent, projectionRow);
            bytes += TableLimits.Check(updated);
            projectionAction = projectionRow is null
                ? new TableTransactionAction(TableTransactionActionType.Add, updated)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, updated, projectionRow.ETag);
        }
        TableTransactionAction? idempotencyAction = null;
        if (idempotency is not null)
        {
            var indexKey = await _keys.GetCurrentAsync(KeyPurpose.Index, ct);
            var record = new TableEntity(ledgerId, RowKeys.Idempotency(idempotency.KeyHash))
            {
                ["RequestMac"] = IdempotencyMac.Compute(indexKey, ledgerId, idempotency.RequestHash),
                ["Seq"] = sequence,
                ["Hash"] = sealedEvent.Hash,
                ["RecordedAt"] = Timestamps.ToText(header.RecordedAt),
            };
            if (evt.SearchId is { } sid)
            {
                record["SearchId"] = sid.ToString("D");
            }
            bytes += TableLimits.Check(record);
            idempotencyAction = new TableTransactionAction(TableTransactionActionType.Add, record);
        }
        return new StagedAppend(header, evt, sealedEvent, new TableTransactionAction(TableTransactionActionType.Add, eventRow), projectionAction, idempotencyAction, bytes);
    }

    private async Task<AppendResult?> ReplayAsync(string ledgerId, IdempotencyClaim idempotency, CancellationToken ct)
    {
        if (await _rows.GetEntityOrNullAsync(ledgerId, RowKeys.Idempotency(idempotency.KeyHash), ct) is not { } done)
        {
            return null;
        }
        if (!await SameRequestAsync(done, ledgerId, idempotency.RequestHash, ct))
        {
            throw new IdempotencyConflictException();
        }
        return new AppendResult(done.GetInt64("Seq") ?? 0, done.GetString("Hash"), Timestamps.Parse(done.GetString("RecordedAt")),
            done.GetString("SearchId") is { } sid ? Guid.Parse(sid) : null, Replayed: true);
    }

    /// <summary>
    /// Whether an idempotency row records this request: by its keyed MAC, under the index key it names (so a
    /// retry across an index key rotation still replays); rows written before the MAC hold the plain hash.
    /// </summary>
    private async Task<bool> SameRequestAsync(TableEntity done, string ledgerId, string requestHash, CancellationToken ct)
    {
        if (done.GetString("RequestMac") is { } mac)
        {
            if (IdempotencyMac.KeyIdOf(mac) is not { } keyId)
            {
                return false;
            }
            KeyMaterial key;
            try
            {
                key = await _keys.GetAsync(KeyPurpose.Index, keyId, ct);
            }
            catch (UnknownKeyIdException)
            {
                return false;
            }
            return IdempotencyMac.Matches(key, mac, ledgerId, requestHash);
        }
        return string.Equals(done.GetString("RequestHash"), requestHash, StringComparison.Ordinal);
    }

    private async Task<HeadState?> ReadHeadStateAsync(string ledgerId, CancellationToken ct)
    {
        var headRow = await _rows.GetEntityOrNullAsync(ledgerId, RowKeys.Head, ct);
        return headRow is null ? null : new HeadState(headRow.GetInt64("Seq") ?? 0, headRow.GetString("Hash"), headRow.ETag);
    }

    /// <summary>
    /// After a lost transaction, with the head read afresh: was it a race (the head moved), or is the slot
    /// after the head taken while the head has not moved? The second is never a race: an event row exists
    /// that the head does not count (the head was deleted, or a row was slipped in beyond it). Idempotent
    /// replays were ruled out before. Costs no request: the next attempt reads the head anyway.
    /// </summary>
    private static LedgerProblem? OccupiedBehindHead(HeadState? used, HeadState? now, long sequence)
    {
        if (now is null && used is null)
        {
            return new LedgerProblem(1, LedgerProblemKind.MissingHead, "Events exist but the ledger's head row is missing: it was deleted.");
        }
        if (now is null)
        {
            return new LedgerProblem(used!.Sequence, LedgerProblemKind.MissingHead, "The ledger's head row was deleted.");
        }
        if (used is not null && now.ETag == used.ETag)
        {
            return new LedgerProblem(sequence, LedgerProblemKind.InsertedRow, $"Sequence {sequence} is already taken although the head is at {used.Sequence}: a row was inserted beyond the head.");
        }
        return null;
    }

    private LedgerIntegrityException Tampered(string ledgerId, LedgerProblem problem, Exception? inner = null)
    {
        Log.SuspectedTampering(_logger, ledgerId, problem.Sequence, problem.Kind.ToString());
        return new LedgerIntegrityException(ledgerId, problem, inner);
    }

    /// <summary>What the attempts of one append know: how many ran, and the head and sequence the last lost one used.</summary>
    private sealed class Attempts
    {
        public int Count { get; set; }

        public bool Lost { get; set; }

        public HeadState? LostWith { get; set; }

        public long LostAt { get; set; }
    }

    /// <summary>The head as this process last wrote it; its ETag makes a stale copy harmless.</summary>
    private sealed record HeadState(long Sequence, string Hash, ETag ETag);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Appended sequence {Sequence} ({EventType}) to ledger {LedgerId}")]
        public static partial void Appended(ILogger logger, string ledgerId, long sequence, string eventType);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Suspected tampering: ledger {LedgerId} refused an append at sequence {Sequence} ({Kind}); its rows were changed outside the application")]
        public static partial void SuspectedTampering(ILogger logger, string ledgerId, long sequence, string kind);
    }
}

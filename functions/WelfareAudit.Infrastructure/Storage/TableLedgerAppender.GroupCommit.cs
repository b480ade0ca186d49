using Azure;
using Azure.Data.Tables;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using static WelfareAudit.Infrastructure.Storage.StorageFaultMapper;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// The group commit. Appends to one ledger in this process wait in that ledger's queue; one writer at a time
/// (the first to arrive while nobody commits) takes what is queued and commits it: one append alone exactly
/// as before, several in one entity-group transaction (their events chained one after the other, the head
/// once, each search row and idempotency row once, all under the head's cached ETag). Each writer is answered
/// only after the transaction that holds its event succeeded. A transaction refused by the service (a conflict
/// with another process, a row gone or taken) wrote nothing: its appends then run one by one through the
/// single append, with its re-reads, retries, replays and tamper checks. An outage fails every append of the
/// transaction as unavailable, as it fails a single append. Each decision is made on committed state only: a
/// transaction never holds two appends of one search or of one idempotency key.
/// </summary>
internal sealed partial class TableLedgerAppender
{
    /// <summary>
    /// Takes what is queued and commits it, until the queue is empty or <paramref name="mine"/> is answered;
    /// then hands the rest to the thread pool so that this caller answers now. With one writer the queue is
    /// empty after its own append: no thread hop, no batch.
    /// </summary>
    private async Task DrainAsync(string ledgerId, LedgerQueue queue, PendingAppend? mine)
    {
        List<PendingAppend>? batch;
        bool keepsTurn;
        while ((batch = queue.TakeBatch(mine, out keepsTurn)) is not null)
        {
            try
            {
                await CommitAsync(ledgerId, queue, batch);
            }
            catch (Exception e)
            {
                // A bug, never an expected failure (those are each writer's own): no writer may be left waiting.
                foreach (var p in batch)
                {
                    p.TrySetException(e);
                }
            }
        }
        if (keepsTurn)
        {
            _ = Task.Run(() => DrainAsync(ledgerId, queue, null));
        }
    }

    private async Task CommitAsync(string ledgerId, LedgerQueue queue, List<PendingAppend> batch)
    {
        if (batch.Count == 1 || !_heads.TryGetValue(ledgerId, out var head))
        {
            // One writer, or no head this process wrote last (first use, or after a failure): the single append,
            // which reads what it needs; the others wait for the next turn.
            queue.PutBack(batch.Skip(1));
            if (!batch[0].TrySetCanceledIfRequested())
            {
                await AppendAloneAsync(ledgerId, batch[0]);
            }
            return;
        }

        var staged = new List<(PendingAppend Writer, StagedAppend Append)>(batch.Count);
        var sequence = head.Sequence;
        var hash = head.Hash;
        var headBytes = TableLimits.Check(NewHead(ledgerId, sequence, hash));
        var bytes = (long)headBytes;
        for (var i = 0; i < batch.Count; i++)
        {
            var writer = batch[i];
            if (writer.TrySetCanceledIfRequested())
            {
                continue;
            }
            StagedAppend? append;
            try
            {
                append = await StageQueuedAsync(ledgerId, writer, sequence + 1, hash);
            }
            catch (Exception e)
            {
                writer.TrySetException(IsUnavailable(e) ? Unavailable(e) : e);
                continue;
            }
            if (append is null)
            {
                continue;
            }
            if (staged.Count > 0 && bytes + append.Bytes >= TableLimits.MaxTransactionBytes)
            {
                // Too large to join: it and the rest decide again in the next transaction.
                queue.PutBack(batch.Skip(i));
                break;
            }
            staged.Add((writer, append));
            sequence++;
            hash = append.Sealed.Hash;
            bytes += append.Bytes;
        }
        if (staged.Count == 0)
        {
            return;
        }

        var actions = new List<TableTransactionAction>((staged.Count * 3) + 1);
        actions.AddRange(staged.Select(s => s.Append.EventAction));
        actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, NewHead(ledgerId, sequence, hash), head.ETag));
        actions.AddRange(staged.Where(s => s.Append.ProjectionAction is not null).Select(s => s.Append.ProjectionAction!));
        actions.AddRange(staged.Where(s => s.Append.IdempotencyAction is not null).Select(s => s.Append.IdempotencyAction!));
        TableLimits.CheckTransaction(actions.Count, bytes);

        Response<IReadOnlyList<Response>> committed;
        try
        {
            // The writers' own cancellation cannot stop a transaction that holds the others' events; the
            // pipeline's deadline bounds it.
            committed = await Guard(() => _appendPipeline.ExecuteAsync(async ct => await _rows.Client.SubmitTransactionAsync(actions, ct), CancellationToken.None));
        }
        catch (TableTransactionFailedException)
        {
            // Refused as a whole, so nothing of it was written: each append again on its own, which re-reads
            // the head and projection, replays an idempotent retry, and tells a race from tampering.
            _heads.TryRemove(ledgerId, out _);
            foreach (var (writer, _) in staged)
            {
                await AppendAloneAsync(ledgerId, writer);
            }
            return;
        }
        catch (Exception e)
        {
            // An outage (or a deadline): it may or may not have been written, so nobody is answered "stored".
            _heads.TryRemove(ledgerId, out _);
            foreach (var (writer, _) in staged)
            {
                writer.TrySetException(e);
            }
            return;
        }

        Committed(ledgerId, sequence, hash, committed.Value[staged.Count].Headers.ETag);
        foreach (var (writer, append) in staged)
        {
            Log.Appended(_logger, ledgerId, append.Header.Sequence, append.Event.Type);
            writer.TrySetResult(append.Result);
        }
    }

    /// <summary>
    /// A queued append's decision and rows, optimistic like a single append's first attempt: the search row is
    /// read unless the search is new, the idempotency row is not looked for (its Add in the transaction checks
    /// it). Null when the writer is answered already (nothing to append, or a replay).
    /// </summary>
    private async Task<StagedAppend?> StageQueuedAsync(string ledgerId, PendingAppend writer, long sequence, string prevHash)
    {
        var projectionRow = writer.SearchId is not { } searchId || writer.NewSearch ? null : await _rows.GetEntityOrNullAsync(ledgerId, RowKeys.Search(searchId), CancellationToken.None);
        var projection = projectionRow is null ? null : ProjectionRow.FromEntity(projectionRow);
        LedgerEvent? evt;
        try
        {
            evt = writer.Decide(projection);
        }
        catch (Exception) when (writer.Idempotency is not null)
        {
            // As a single append: a refusal may mean the original of this retried request changed the state.
            if (await ReplayAsync(ledgerId, writer.Idempotency, CancellationToken.None) is { } original)
            {
                writer.TrySetResult(original);
                return null;
            }
            throw;
        }
        if (evt is null)
        {
            writer.TrySetResult(null);
            return null;
        }
        return await StageAsync(ledgerId, writer.Actor, writer.SearchId, evt, projection, projectionRow, writer.Idempotency, sequence, prevHash, CancellationToken.None);
    }

    private static TableEntity NewHead(string ledgerId, long sequence, string hash) => new(ledgerId, RowKeys.Head) { ["Seq"] = sequence, ["Hash"] = hash };

    /// <summary>An append waiting for its turn; completed with its result once the transaction holding it succeeded.</summary>
    private sealed class PendingAppend(string actor, Guid? searchId, Func<SearchProjection?, LedgerEvent?> decide, IdempotencyClaim? idempotency, bool newSearch, CancellationToken cancellationToken)
        : TaskCompletionSource<AppendResult?>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public string Actor => actor;

        public Guid? SearchId => searchId;

        public Func<SearchProjection?, LedgerEvent?> Decide => decide;

        public IdempotencyClaim? Idempotency => idempotency;

        public bool NewSearch => newSearch;

        public CancellationToken CancellationToken => cancellationToken;

        /// <summary>The rows it adds to a transaction besides the head: the event, the search row, the idempotency row.</summary>
        public int Entities => 1 + (searchId is null ? 0 : 1) + (idempotency is null ? 0 : 1);

        /// <summary>A writer that gave up before its turn is not appended.</summary>
        public bool TrySetCanceledIfRequested() => cancellationToken.IsCancellationRequested && TrySetCanceled(cancellationToken);
    }

    /// <summary>One ledger's waiting appends and whether a writer is committing them.</summary>
    private sealed class LedgerQueue
    {
        private readonly Lock _sync = new();
        private readonly List<PendingAppend> _waiting = [];
        private bool _draining;

        /// <summary>Queues <paramref name="pending"/>; true when nobody is committing, so the caller must.</summary>
        public bool Enqueue(PendingAppend pending)
        {
            lock (_sync)
            {
                _waiting.Add(pending);
                if (_draining)
                {
                    return false;
                }
                _draining = true;
                return true;
            }
        }

        /// <summary>
        /// The next transaction's appends, oldest first: as many as fit in one transaction (100 rows with the
        /// head), stopping before a second append of the same search or idempotency key. Null, and the turn
        /// given up, when there is nothing left; null, and the turn kept (<paramref name="keepsTurn"/>), when
        /// <paramref name="mine"/> is answered and others still wait.
        /// </summary>
        public List<PendingAppend>? TakeBatch(PendingAppend? mine, out bool keepsTurn)
        {
            lock (_sync)
            {
                _waiting.RemoveAll(p => p.Task.IsCompleted);
                keepsTurn = _waiting.Count > 0;
                if (_waiting.Count == 0)
                {
                    _draining = false;
                    return null;
                }
                if (mine is not null && mine.Task.IsCompleted)
                {
                    return null;
                }
                var batch = new List<PendingAppend>();
                var rows = 1;
                HashSet<Guid> searches = [];
                HashSet<string> claims = new(StringComparer.Ordinal);
                var taken = 0;
                foreach (var p in _waiting)
                {
                    if (batch.Count > 0 && (rows + p.Entities > TableLimits.MaxEntitiesPerTransaction
                        || (p.SearchId is { } s && searches.Contains(s))
                        || (p.Idempotency is { } c && claims.Contains(c.KeyHash))))
                    {
                        break;
                    }
                    rows += p.Entities;
                    if (p.SearchId is { } search)
                    {
                        searches.Add(search);
                    }
                    if (p.Idempotency is { } claim)
                    {
                        claims.Add(claim.KeyHash);
                    }
                    batch.Add(p);
                    taken++;
                }
                _waiting.RemoveRange(0, taken);
                return batch;
            }
        }

        /// <summary>Returns appends that were taken but not committed to the front of the queue, in their order.</summary>
        public void PutBack(IEnumerable<PendingAppend> appends)
        {
            lock (_sync)
            {
                _waiting.InsertRange(0, appends);
            }
        }
    }

    /// <summary>A decided, sealed append and its rows (without the head), with their size for the transaction's limit.</summary>
    private sealed record StagedAppend(EventHeader Header, LedgerEvent Event, SealedEvent Sealed, TableTransactionAction EventAction,
        TableTransactionAction? ProjectionAction, TableTransactionAction? IdempotencyAction, long Bytes)
    {
        public AppendResult Result => new(Header.Sequence, Sealed.Hash, Header.RecordedAt, Event.SearchId);
    }
}

using WelfareAudit.Core.Anchors;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// The daily job: verifies every ledger and signs its head, also when nothing happened since yesterday, so that
/// "no searches in this period" can be proven. Timer triggers fire at least once, so a ledger whose last
/// event is already a checkpoint made today (UTC) is left alone. One ledger's failure does not stop the
/// others, but the run then fails (never a silent success), so the platform records and retries it.
/// Each verified ledger's checkpoints that are not anchored yet (a write that failed earlier) are anchored first
/// (<see cref="CheckpointAnchoring.CatchUpAsync"/>); an anchor write that fails is logged and retried by the next run.
/// </summary>
public sealed class DailyCheckpointJob(ILedger ledger, LedgerCheckpointer checkpointer, TimeProvider time, CheckpointAnchoring? anchoring = null)
{
    public async Task RunAsync(CancellationToken cancellationToken) => await CheckpointAllAsync(cancellationToken);

    public async Task<DailyCheckpointSummary> CheckpointAllAsync(CancellationToken cancellationToken)
    {
        var today = time.GetUtcNow().UtcDateTime.Date;
        int done = 0, skipped = 0;
        var failures = new List<Exception>();
        await foreach (var ledgerId in ledger.ListLedgersAsync(cancellationToken))
        {
            try
            {
                // Never sign a head the chain does not support: a tampered ledger fails the run instead.
                var verification = await ledger.VerifyAsync(ledgerId, cancellationToken);
                if (!verification.Ok)
                {
                    throw new LedgerTamperedException(verification);
                }
                if (verification.Events == 0)
                {
                    continue;
                }
                var head = new LedgerHead(ledgerId, verification.Events, verification.HeadHash);
                if (anchoring is not null)
                {
                    await anchoring.CatchUpAsync(ledgerId, head.Sequence, cancellationToken);
                }
                if (await IsCheckpointOfAsync(head, today, cancellationToken))
                {
                    skipped++;
                    continue;
                }
                await checkpointer.CheckpointAsync(head, LedgerCheckpointer.SystemActor, cancellationToken);
                done++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures.Add(e);
            }
        }
        if (failures.Count > 0)
        {
            throw new AggregateException($"The daily checkpoint failed for {failures.Count} ledger(s); {done} were checkpointed.", failures);
        }
        return new DailyCheckpointSummary(done, skipped);
    }

    private async Task<bool> IsCheckpointOfAsync(LedgerHead head, DateTime today, CancellationToken ct)
    {
        await foreach (var last in ledger.ReadAsync(head.LedgerId, head.Sequence, head.Sequence, ct))
        {
            return last.Event is Checkpoint && last.Header.RecordedAt.UtcDateTime.Date == today;
        }
        return false;
    }
}

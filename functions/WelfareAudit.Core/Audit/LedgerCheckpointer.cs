using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit;

/// <summary>A checkpoint that was appended: the signed statement and where its event landed.</summary>
public sealed record CheckpointRecord(string LedgerId, long Sequence, Checkpoint Checkpoint);

/// <summary>
/// Signs a ledger's head and appends the signature as a <see cref="Checkpoint"/> event. The head is read
/// first; if another writer appends between the read and the append, the checkpoint still states a true
/// fact about an earlier position (a verifier checks it against that position's hash).
/// </summary>
public sealed class LedgerCheckpointer(ILedger ledger, ISigningKeys keys, TimeProvider time)
{
    public const string SystemActor = "system:checkpoint";

    /// <summary>Signs the head of <paramref name="ledgerId"/>; null when the ledger has no event yet.</summary>
    public async Task<CheckpointRecord?> CheckpointAsync(string ledgerId, string actor, CancellationToken cancellationToken)
    {
        var head = await ledger.GetHeadAsync(ledgerId, cancellationToken);
        return head is null || head.Sequence == 0 ? null : await CheckpointAsync(head, actor, cancellationToken);
    }

    /// <summary>Signs the given head (for example the one an export has just verified) and appends the checkpoint.</summary>
    public async Task<CheckpointRecord> CheckpointAsync(LedgerHead head, string actor, CancellationToken cancellationToken)
    {
        var signedAt = time.GetUtcNow();
        using var key = await keys.GetCurrentAsync(cancellationToken);
        var signature = key.SignBase64(CheckpointStatement.Encode(head.LedgerId, head.Sequence, head.Hash, signedAt));
        var checkpoint = new Checkpoint(head.Sequence, head.Hash, signedAt, key.KeyId, signature);
        var result = await ledger.AppendAsync(head.LedgerId, actor, null, _ => checkpoint, cancellationToken);
        return new CheckpointRecord(head.LedgerId, result!.Sequence, checkpoint);
    }
}

/// <summary>What one daily checkpoint run did.</summary>
public sealed record DailyCheckpointSummary(int Checkpointed, int AlreadyDone);

/// <summary>
/// The daily job: verifies every ledger and signs its head, also when nothing happened since yesterday, so that
/// "no searches in this period" can be proven. Timer triggers fire at least once, so a ledger whose last
/// event is already a checkpoint made today (UTC) is left alone. One ledger's failure does not stop the
/// others, but the run then fails (never a silent success), so the platform records and retries it.
/// </summary>
public sealed class DailyCheckpointJob(ILedger ledger, LedgerCheckpointer checkpointer, TimeProvider time)
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

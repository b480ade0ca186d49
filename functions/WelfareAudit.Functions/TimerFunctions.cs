using Microsoft.Azure.Functions.Worker;
using WelfareAudit.Core.Audit;

namespace WelfareAudit.Functions;

/// <summary>
/// Timer adapters over the shared jobs (the local host runs the same job classes). Failures propagate:
/// a failed run is recorded as failed, never swallowed into a success.
/// </summary>
public sealed class TimerFunctions(DailyCheckpointJob checkpoints)
{
    /// <summary>Signs every ledger's head daily (<c>CHECKPOINT_SCHEDULE</c>, default <c>0 5 0 * * *</c>: 00:05 UTC), even when nothing happened.</summary>
    [Function("DailyCheckpoint")]
    public Task DailyCheckpoint([TimerTrigger("%CHECKPOINT_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken) =>
        checkpoints.RunAsync(cancellationToken);
}

using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Reminders;
using WelfareAudit.Core.Schedules;

namespace WelfareAudit.Functions;

/// <summary>
/// Timer adapters over the shared jobs (the local host runs the same job classes). The platform fires
/// at least once (duplicates happen after restarts); the jobs are idempotent and lease- or day-guarded.
/// Failures propagate: a failed run is recorded as failed, never swallowed into a success.
/// </summary>
public sealed partial class TimerFunctions(ReminderSweep reminders, DailyCheckpointJob checkpoints, SupervisorDigestJob digest, ILogger<TimerFunctions> logger)
{
    [Function(TimerSchedules.ReminderSweepName)]
    public async Task ReminderSweep([TimerTrigger(TimerSchedules.ReminderSweepTrigger)] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (timer.IsPastDue)
        {
            // Due-ness is computed from the time and the ledger, so one run catches up on everything missed.
            Log.PastDue(logger, TimerSchedules.ReminderSweepName);
        }
        await reminders.RunAsync(cancellationToken);
    }

    /// <summary>Signs every ledger's head daily (<c>CHECKPOINT_SCHEDULE</c>, default <c>0 5 0 * * *</c>: 00:05 UTC), even when nothing happened.</summary>
    [Function(TimerSchedules.DailyCheckpointName)]
    public Task DailyCheckpoint([TimerTrigger(TimerSchedules.DailyCheckpointTrigger)] TimerInfo timer, CancellationToken cancellationToken) =>
        checkpoints.RunAsync(cancellationToken);

    /// <summary>The supervisors' daily digest (<c>SUPERVISOR_DIGEST_SCHEDULE</c>, default hourly at :10): sent once a local day, dated claims guard it.</summary>
    [Function(TimerSchedules.SupervisorDigestName)]
    public Task SupervisorDigest([TimerTrigger(TimerSchedules.SupervisorDigestTrigger)] TimerInfo timer, CancellationToken cancellationToken) =>
        digest.RunAsync(cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "{Function} runs past due; this run catches up once")]
        public static partial void PastDue(ILogger logger, string function);
    }
}

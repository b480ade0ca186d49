using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WelfareAudit.Core.Reminders;

namespace WelfareAudit.Functions;

/// <summary>
/// Timer adapters. The platform fires at least once (duplicates happen after restarts); the jobs are
/// idempotent and lease-guarded. Failures propagate, so a failed run is reported as failed.
/// </summary>
public sealed partial class TimerFunctions(ReminderSweep reminders, ILogger<TimerFunctions> logger)
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

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "{Function} runs past due; this run catches up once")]
        public static partial void PastDue(ILogger logger, string function);
    }
}

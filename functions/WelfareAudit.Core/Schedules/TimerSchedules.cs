namespace WelfareAudit.Core.Schedules;

/// <summary>
/// The timer functions' schedules: app settings holding NCRONTAB expressions (six fields, with seconds),
/// as the Functions timer trigger reads them, and the defaults the local host falls back to.
/// </summary>
public static class TimerSchedules
{
    public const string ReminderSweepName = "ReminderSweep";
    public const string ReminderSweepSetting = "REMINDER_SCHEDULE";
    public const string ReminderSweepTrigger = "%" + ReminderSweepSetting + "%";
    public const string ReminderSweepDefault = "0 */15 * * * *";

    public const string DailyCheckpointName = "DailyCheckpoint";
    public const string DailyCheckpointSetting = "CHECKPOINT_SCHEDULE";
    public const string DailyCheckpointTrigger = "%" + DailyCheckpointSetting + "%";
    public const string DailyCheckpointDefault = "0 5 0 * * *";

    /// <summary>The supervisors' daily digest: runs often, sends once a local day after the daily time (docs/reminders.md).</summary>
    public const string SupervisorDigestName = "SupervisorDigest";
    public const string SupervisorDigestSetting = "SUPERVISOR_DIGEST_SCHEDULE";
    public const string SupervisorDigestTrigger = "%" + SupervisorDigestSetting + "%";
    public const string SupervisorDigestDefault = "0 10 * * * *";
}

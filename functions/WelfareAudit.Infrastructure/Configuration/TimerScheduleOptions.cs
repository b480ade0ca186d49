using Microsoft.Extensions.Configuration;
using NCrontab;
using WelfareAudit.Core.Schedules;

namespace WelfareAudit.Infrastructure.Configuration;

/// <summary>
/// The timer functions' schedules: the root-level app settings <c>REMINDER_SCHEDULE</c>,
/// <c>CHECKPOINT_SCHEDULE</c> and <c>SUPERVISOR_DIGEST_SCHEDULE</c> (the names the Functions timer trigger resolves), NCRONTAB with seconds;
/// bound from the configuration root.
/// </summary>
public sealed class TimerScheduleOptions
{
    [ConfigurationKeyName(TimerSchedules.ReminderSweepSetting)]
    public string ReminderSweep { get; set; } = TimerSchedules.ReminderSweepDefault;

    [ConfigurationKeyName(TimerSchedules.DailyCheckpointSetting)]
    public string DailyCheckpoint { get; set; } = TimerSchedules.DailyCheckpointDefault;

    [ConfigurationKeyName(TimerSchedules.SupervisorDigestSetting)]
    public string SupervisorDigest { get; set; } = TimerSchedules.SupervisorDigestDefault;

    public static CrontabSchedule? TryParse(string? expression) =>
        expression is null ? null : CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using NCrontab;
using WelfareAudit.Core.Reminders;

namespace WelfareAudit.Infrastructure.Configuration;

/// <summary>
/// The timer functions' schedules: the root-level app settings <c>REMINDER_SCHEDULE</c> and
/// <c>CHECKPOINT_SCHEDULE</c> (the names the Functions timer trigger resolves), NCRONTAB with seconds;
/// bound from the configuration root.
/// </summary>
public sealed class TimerScheduleOptions
{
    [ConfigurationKeyName(TimerSchedules.ReminderSweepSetting)]
    public string ReminderSweep { get; set; } = TimerSchedules.ReminderSweepDefault;

    [ConfigurationKeyName(TimerSchedules.DailyCheckpointSetting)]
    public string DailyCheckpoint { get; set; } = TimerSchedules.DailyCheckpointDefault;

    public static CrontabSchedule? TryParse(string? expression) =>
        expression is null ? null : CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
}

/// <summary>A schedule that does not parse would fail every run of its job: refuse it at start, by setting name.</summary>
public sealed class TimerScheduleOptionsValidator : IValidateOptions<TimerScheduleOptions>
{
    public ValidateOptionsResult Validate(string? name, TimerScheduleOptions options)
    {
        var failures = new List<string>();
        foreach (var (setting, expression) in new[]
        {
            (TimerSchedules.ReminderSweepSetting, options.ReminderSweep),
            (TimerSchedules.DailyCheckpointSetting, options.DailyCheckpoint),
        })
        {
            if (TimerScheduleOptions.TryParse(expression) is null)
            {
                failures.Add($"{setting} must be an NCRONTAB expression of six fields, seconds first (e.g. \"0 */15 * * * *\"); the value is not shown.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using Microsoft.Extensions.Options;
using WelfareAudit.Core.Schedules;

namespace WelfareAudit.Infrastructure.Configuration;

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
            (TimerSchedules.SupervisorDigestSetting, options.SupervisorDigest),
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

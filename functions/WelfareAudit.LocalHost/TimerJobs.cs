using NCrontab;
using WelfareAudit.Core.Reminders;
using WelfareAudit.Core.Schedules;

namespace WelfareAudit.LocalHost;

public static class TimerJobs
{
    public static readonly IReadOnlyList<TimerJob> All =
    [
        new(TimerSchedules.ReminderSweepName, TimerSchedules.ReminderSweepSetting, TimerSchedules.ReminderSweepDefault,
            (services, ct) => services.GetRequiredService<ReminderSweep>().RunAsync(ct)),
        new(TimerSchedules.DailyCheckpointName, TimerSchedules.DailyCheckpointSetting, TimerSchedules.DailyCheckpointDefault,
            (services, ct) => services.GetRequiredService<WelfareAudit.Core.Audit.DailyCheckpointJob>().RunAsync(ct)),
        new(TimerSchedules.SupervisorDigestName, TimerSchedules.SupervisorDigestSetting, TimerSchedules.SupervisorDigestDefault,
            (services, ct) => services.GetRequiredService<SupervisorDigestJob>().RunAsync(ct)),
    ];

    public static CrontabSchedule Schedule(TimerJob job, IConfiguration configuration) =>
        CrontabSchedule.Parse(configuration[job.ScheduleSetting] ?? job.DefaultSchedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
}

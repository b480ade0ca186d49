namespace WelfareAudit.LocalHost;

/// <summary>Runs every timer job on its NCRONTAB schedule, as the Functions host would (times from TimeProvider).</summary>
public sealed partial class TimerJobScheduler(IServiceProvider services, IConfiguration configuration, TimeProvider time, ILogger<TimerJobScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(TimerJobs.All.Select(job => RunOnScheduleAsync(job, stoppingToken)));

    private async Task RunOnScheduleAsync(TimerJob job, CancellationToken ct)
    {
        var schedule = TimerJobs.Schedule(job, configuration);
        while (!ct.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(DateTime.SpecifyKind(schedule.GetNextOccurrence(now.UtcDateTime), DateTimeKind.Utc));
            try
            {
                await Task.Delay(next - now, time, ct);
                await job.Run(services, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The next occurrence retries; the failure is visible in the log, as a failed Functions run would be.
                Log.JobFailed(logger, job.Name, e.GetType().Name);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Timer job {Job} failed: {ExceptionType}")]
        public static partial void JobFailed(ILogger logger, string job, string exceptionType);
    }
}

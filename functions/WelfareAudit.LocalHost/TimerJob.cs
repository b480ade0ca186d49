namespace WelfareAudit.LocalHost;

/// <summary>A timer function as the local host runs it: the same job class, the same schedule setting.</summary>
public sealed record TimerJob(string Name, string ScheduleSetting, string DefaultSchedule, Func<IServiceProvider, CancellationToken, Task> Run);

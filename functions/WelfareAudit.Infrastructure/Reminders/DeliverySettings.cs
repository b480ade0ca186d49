namespace WelfareAudit.Infrastructure.Reminders;

/// <summary>Resilience of deliveries (these are not Azure SDK calls, so Polly provides it).</summary>
public sealed class DeliverySettings
{
    public int Attempts { get; set; } = 3;

    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromMinutes(1);
}

namespace WelfareAudit.Core.Reminders;

public sealed class ReminderOptions
{
    public ReminderPolicy Policy { get; set; } = new();

    /// <summary>The phone page, linked from every reminder.</summary>
    public Uri? PhoneLink { get; set; }

    /// <summary>How long one sweep may hold a ledger's reminder lease.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);
}

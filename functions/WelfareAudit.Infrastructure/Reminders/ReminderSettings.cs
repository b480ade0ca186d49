using WelfareAudit.Core.Reminders;

namespace WelfareAudit.Infrastructure.Reminders;

/// <summary>Settings under <c>WelfareAudit:Reminders</c>. See docs/reminders.md.</summary>
public sealed class ReminderSettings
{
    public const string SectionName = "WelfareAudit:Reminders";

    public ReminderPolicy Policy { get; set; } = new();

    public Uri? PhoneLink { get; set; }

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    public SmtpSettings Smtp { get; set; } = new();

    public WebhookSettings Webhook { get; set; } = new();

    /// <summary>
    /// Therapists' addresses, as a list (<c>Recipients:0:ObjectId</c>, <c>Recipients:0:Email</c>) because
    /// App Service setting names cannot hold the hyphens of an object id.
    /// </summary>
    public List<RecipientSetting> Recipients { get; set; } = [];

    /// <summary>For a one-therapist practice, or a therapist missing from <see cref="Recipients"/>.</summary>
    public string? DefaultTherapistEmail { get; set; }

    public List<string> SupervisorEmails { get; set; } = [];

    public DeliverySettings Delivery { get; set; } = new();

    public ReminderOptions ToOptions() => new() { Policy = Policy, PhoneLink = PhoneLink, LeaseDuration = LeaseDuration };
}

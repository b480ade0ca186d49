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

public sealed class RecipientSetting
{
    public string? ObjectId { get; set; }

    public string? Email { get; set; }
}

public sealed class SmtpSettings
{
    /// <summary>Empty: no email channel.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary><c>StartTls</c> (default), <c>SslOnConnect</c> (implicit TLS, port 465), <c>Auto</c>, or <c>None</c> (local test servers only).</summary>
    public string Security { get; set; } = "StartTls";

    public string? From { get; set; }

    public string? Username { get; set; }

    /// <summary>In Azure, an app setting holding a Key Vault reference (<c>@Microsoft.KeyVault(...)</c>), never the password itself.</summary>
    public string? Password { get; set; }
}

public sealed class WebhookSettings
{
    /// <summary>Empty: no webhook channel. A Teams, Slack or ntfy incoming-webhook URL.</summary>
    public Uri? Url { get; set; }
}

/// <summary>Resilience of deliveries (these are not Azure SDK calls, so Polly provides it).</summary>
public sealed class DeliverySettings
{
    public int Attempts { get; set; } = 3;

    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromMinutes(1);
}

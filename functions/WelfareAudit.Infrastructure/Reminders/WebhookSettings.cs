namespace WelfareAudit.Infrastructure.Reminders;

public sealed class WebhookSettings
{
    /// <summary>Empty: no webhook channel. A Teams, Slack or ntfy incoming-webhook URL.</summary>
    public Uri? Url { get; set; }
}

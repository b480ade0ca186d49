using Microsoft.Extensions.Options;

namespace WelfareAudit.Infrastructure.Reminders;

/// <summary>Refuses to start with reminder settings that would silently send nothing or fail every sweep; names settings, never values.</summary>
public sealed class ReminderSettingsValidator : IValidateOptions<ReminderSettings>
{
    public ValidateOptionsResult Validate(string? name, ReminderSettings s)
    {
        var problems = new List<string>();
        try
        {
            s.Policy.Zone();
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            problems.Add("WelfareAudit:Reminders:Policy:TimeZone must be an IANA time zone id, e.g. America/New_York.");
        }
        if (s.Policy.EscalateAfterDays is < 1 or > 365)
        {
            problems.Add("WelfareAudit:Reminders:Policy:EscalateAfterDays must be between 1 and 365.");
        }
        if (s.Policy.SessionMorningAt < TimeSpan.Zero || s.Policy.SessionMorningAt >= TimeSpan.FromDays(1) || s.Policy.DailyAt < TimeSpan.Zero || s.Policy.DailyAt >= TimeSpan.FromDays(1))
        {
            problems.Add("WelfareAudit:Reminders:Policy:SessionMorningAt and DailyAt must be times of day (00:00 to 23:59).");
        }
        if (s.Policy.BeforeSession < TimeSpan.Zero || s.Policy.BeforeSession > TimeSpan.FromDays(7))
        {
            problems.Add("WelfareAudit:Reminders:Policy:BeforeSession must be between 0 and 7 days.");
        }
        if (s.LeaseDuration <= TimeSpan.Zero || s.LeaseDuration > TimeSpan.FromHours(1))
        {
            problems.Add("WelfareAudit:Reminders:LeaseDuration must be positive and at most 1 hour.");
        }
        if (s.PhoneLink is { } link && (!link.IsAbsoluteUri || (link.Scheme != Uri.UriSchemeHttps && !link.IsLoopback)))
        {
            problems.Add("WelfareAudit:Reminders:PhoneLink must be an absolute https URL (http only on loopback).");
        }
        if (!string.IsNullOrWhiteSpace(s.Smtp.Host))
        {
            if (string.IsNullOrWhiteSpace(s.Smtp.From))
            {
                problems.Add("WelfareAudit:Reminders:Smtp:From is required when an SMTP host is set.");
            }
            if (s.Smtp.Port is < 1 or > 65535)
            {
                problems.Add("WelfareAudit:Reminders:Smtp:Port must be 1-65535.");
            }
            if (s.Smtp.Security is not ("StartTls" or "SslOnConnect" or "Auto" or "None"))
            {
                problems.Add("WelfareAudit:Reminders:Smtp:Security must be StartTls, SslOnConnect, Auto or None.");
            }
            if (s.Recipients.Any(r => string.IsNullOrWhiteSpace(r.ObjectId) || string.IsNullOrWhiteSpace(r.Email)))
            {
                problems.Add("WelfareAudit:Reminders:Recipients entries need both ObjectId and Email.");
            }
            if (s.Recipients.Count == 0 && string.IsNullOrWhiteSpace(s.DefaultTherapistEmail))
            {
                problems.Add("WelfareAudit:Reminders:Recipients or DefaultTherapistEmail is required when an SMTP host is set.");
            }
            if (s.SupervisorEmails.Count == 0)
            {
                problems.Add("WelfareAudit:Reminders:SupervisorEmails is required when an SMTP host is set (escalations go there).");
            }
        }
        if (s.Webhook.Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback)))
        {
            problems.Add("WelfareAudit:Reminders:Webhook:Url must be an absolute https URL (http only on loopback).");
        }
        var d = s.Delivery;
        if (d.Attempts is < 1 or > 10)
        {
            problems.Add("WelfareAudit:Reminders:Delivery:Attempts must be 1-10.");
        }
        // Polly's own limits, checked here so a bad value stops the start, not the first sweep.
        if (d.InitialDelay < TimeSpan.Zero || d.InitialDelay > TimeSpan.FromHours(1))
        {
            problems.Add("WelfareAudit:Reminders:Delivery:InitialDelay must be between 0 and 1 hour.");
        }
        if (d.AttemptTimeout < TimeSpan.FromMilliseconds(10) || d.AttemptTimeout > TimeSpan.FromHours(1))
        {
            problems.Add("WelfareAudit:Reminders:Delivery:AttemptTimeout must be between 10 ms and 1 hour.");
        }
        if (d.BreakDuration < TimeSpan.FromMilliseconds(500) || d.BreakDuration > TimeSpan.FromDays(1))
        {
            problems.Add("WelfareAudit:Reminders:Delivery:BreakDuration must be between 0.5 seconds and 1 day.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

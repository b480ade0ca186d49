using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WelfareAudit.Core.Reminders;

namespace WelfareAudit.Infrastructure.Reminders;

public static class ReminderRegistration
{
    /// <summary>Registers the reminder sweep and the channels that are configured (email when an SMTP host is set, webhook when a URL is set).</summary>
    public static IServiceCollection AddWelfareAuditReminders(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ReminderSettings.SectionName).Get<ReminderSettings>() ?? new ReminderSettings();
        // Deployments pass unused settings as empty strings: empty means "not configured".
        if (string.IsNullOrEmpty(settings.Webhook.Url?.OriginalString))
        {
            settings.Webhook.Url = null;
        }
        if (string.IsNullOrEmpty(settings.PhoneLink?.OriginalString))
        {
            settings.PhoneLink = null;
        }
        settings.SupervisorEmails.RemoveAll(string.IsNullOrWhiteSpace);
        if (string.IsNullOrWhiteSpace(settings.DefaultTherapistEmail))
        {
            settings.DefaultTherapistEmail = null;
        }
        Validate(settings);
        services.TryAddSingleton(settings);
        services.TryAddSingleton(settings.ToOptions());
        services.AddHttpClient(WebhookReminderChannel.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        if (!string.IsNullOrWhiteSpace(settings.Smtp.Host))
        {
            services.AddSingleton<IReminderChannel, SmtpReminderChannel>();
        }
        if (settings.Webhook.Url is not null)
        {
            services.AddSingleton<IReminderChannel, WebhookReminderChannel>();
        }
        services.TryAddSingleton<ReminderSweep>();
        return services;
    }

    /// <summary>Refuses to start with reminder settings that would silently send nothing or fail every sweep.</summary>
    public static void Validate(ReminderSettings s)
    {
        var problems = new List<string>();
        try
        {
            s.Policy.Zone();
        }
        catch (TimeZoneNotFoundException)
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
        if (s.Delivery.Attempts is < 1 or > 10)
        {
            problems.Add("WelfareAudit:Reminders:Delivery:Attempts must be 1-10.");
        }
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid reminder settings: " + string.Join(" ", problems));
        }
    }
}

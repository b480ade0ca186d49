using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WelfareAudit.Core.Reminders;
using WelfareAudit.Infrastructure.Configuration;

namespace WelfareAudit.Infrastructure.Reminders;

public static class ReminderRegistration
{
    /// <summary>
    /// Registers the reminder sweep and the channels that are configured (email when an SMTP host is set,
    /// webhook when a URL is set). The settings are validated when the host starts.
    /// </summary>
    public static IServiceCollection AddWelfareAuditReminders(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(configuration);
        services.AddSettings<ReminderSettings, ReminderSettingsValidator>(ReminderSettings.SectionName)
            .PostConfigure(Normalize);
        services.TryAddSingleton(sp => sp.Settings<ReminderSettings>());
        services.TryAddSingleton(sp => sp.Settings<ReminderSettings>().ToOptions());
        services.AddHttpClient(WebhookReminderChannel.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(TimeProvider.System);
        services.AddDeliveryPipelines();
        services.TryAddSingleton<SmtpReminderChannel>();
        services.TryAddSingleton<WebhookReminderChannel>();
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<ReminderSweep>(sp, Channels(sp)));
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<SupervisorDigestJob>(sp, Channels(sp)));
        return services;
    }

    /// <summary>Channels registered by the host, then the built-in ones whose settings are given.</summary>
    private static IEnumerable<IReminderChannel> Channels(IServiceProvider services)
    {
        var settings = services.Settings<ReminderSettings>();
        var channels = services.GetServices<IReminderChannel>().ToList();
        if (!string.IsNullOrWhiteSpace(settings.Smtp.Host))
        {
            channels.Add(services.GetRequiredService<SmtpReminderChannel>());
        }
        if (settings.Webhook.Url is not null)
        {
            channels.Add(services.GetRequiredService<WebhookReminderChannel>());
        }
        return channels;
    }

    /// <summary>Deployments pass unused settings as empty strings: empty means "not configured".</summary>
    private static void Normalize(ReminderSettings settings)
    {
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
    }
}

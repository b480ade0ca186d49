using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Polly;
using WelfareAudit.Core.Reminders;

namespace WelfareAudit.Infrastructure.Reminders;

/// <summary>
/// Email over SMTP with MailKit: one message per recipient per sweep, digesting their due items. The
/// text carries references, times and a link only (the policy itself says email is not secure).
/// </summary>
public sealed class SmtpReminderChannel(ReminderSettings settings, [FromKeyedServices(DeliveryPipeline.Smtp)] ResiliencePipeline pipeline) : IReminderChannel
{
    private readonly ResiliencePipeline _pipeline = pipeline;

    public string Name => "email";

    public async Task SendAsync(ReminderDigest digest, CancellationToken cancellationToken)
    {
        var to = Recipients(digest);
        if (to.Count == 0)
        {
            throw new InvalidOperationException("No email recipient is configured for this digest (WelfareAudit:Reminders:Recipients, DefaultTherapistEmail or SupervisorEmails).");
        }
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.Smtp.From!));
        foreach (var address in to)
        {
            message.To.Add(MailboxAddress.Parse(address));
        }
        message.Subject = digest.Subject;
        message.Body = new TextPart("plain") { Text = digest.Text() };

        await _pipeline.ExecuteAsync(async ct =>
        {
            using var client = new SmtpClient();
            await client.ConnectAsync(settings.Smtp.Host!, settings.Smtp.Port, Security(settings.Smtp.Security), ct);
            if (!string.IsNullOrEmpty(settings.Smtp.Username))
            {
                await client.AuthenticateAsync(settings.Smtp.Username, settings.Smtp.Password ?? "", ct);
            }
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
        }, cancellationToken);
    }

    private List<string> Recipients(ReminderDigest digest) => digest.Audience == ReminderAudience.Supervisors
        ? settings.SupervisorEmails
        : settings.Recipients.FirstOrDefault(r => r.ObjectId == digest.TherapistId)?.Email is { } mail ? [mail]
        : settings.DefaultTherapistEmail is { } fallback ? [fallback] : [];

    private static SecureSocketOptions Security(string mode) => mode switch
    {
        "None" => SecureSocketOptions.None,
        "SslOnConnect" => SecureSocketOptions.SslOnConnect,
        "Auto" => SecureSocketOptions.Auto,
        _ => SecureSocketOptions.StartTls,
    };
}

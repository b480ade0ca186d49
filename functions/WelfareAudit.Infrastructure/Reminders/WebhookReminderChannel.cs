using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using WelfareAudit.Core.Reminders;

namespace WelfareAudit.Infrastructure.Reminders;

/// <summary>
/// A JSON POST to an incoming webhook (Teams, Slack, ntfy, or your own). The payload has a top-level
/// <c>text</c> (what Slack and Teams incoming webhooks display) and the structured items, or for the supervisors'
/// daily digest the counts; no client data.
/// </summary>
public sealed class WebhookReminderChannel(ReminderSettings settings, IHttpClientFactory clients, [FromKeyedServices(DeliveryPipeline.Webhook)] ResiliencePipeline pipeline) : IReminderChannel
{
    public const string HttpClientName = "WelfareAudit.Webhook";

    private readonly ResiliencePipeline _pipeline = pipeline;

    public string Name => "webhook";

    public async Task SendAsync(ReminderDigest digest, CancellationToken cancellationToken)
    {
        object payload = digest.Backlog is { } backlog ? new
        {
            title = digest.Subject,
            text = digest.Subject + "\n\n" + digest.Text(),
            audience = "supervisors",
            kind = "dailyDigest",
            day = backlog.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            awaitingReview = backlog.AwaitingReview,
            overdue = backlog.Overdue,
            link = digest.Link,
        } : new
        {
            title = digest.Subject,
            text = digest.Subject + "\n\n" + digest.Text(),
            audience = digest.Audience == ReminderAudience.Supervisors ? "supervisors" : "therapist",
            count = digest.Items.Count,
            items = digest.Items.Select(i => new { reference = i.Reference, kind = i.Kind, sessionAt = i.SessionAt }),
            link = digest.Link,
        };
        await _pipeline.ExecuteAsync(async ct =>
        {
            var client = clients.CreateClient(HttpClientName);
            using var response = await client.PostAsJsonAsync(settings.Webhook.Url, payload, ct);
            response.EnsureSuccessStatusCode();
        }, cancellationToken);
    }
}

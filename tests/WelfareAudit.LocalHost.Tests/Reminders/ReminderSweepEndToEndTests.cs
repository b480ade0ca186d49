using System.Net;
using System.Text.Json;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http.Identity;

namespace WelfareAudit.LocalHost.Tests.Reminders;

/// <summary>
/// The promise "I will definitely discuss this with you when we next meet", kept end to end: a search
/// logged through the API, the sweep run through the admin API, a real SMTP server and a webhook.
/// The tests of this class share one host and run one after another.
/// </summary>
[Collection(ReminderHostCollection.Name)]
public class ReminderSweepEndToEndTests(ReminderHostFixture host)
{
    private HttpClient Therapist(string id)
    {
        var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Add(ClientPrincipal.HeaderName, ClientPrincipal.Encode(id, Role.Therapist));
        return client;
    }

    private async Task<HttpResponseMessage> SweepAsync()
    {
        using var admin = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        return await admin.PostAsync("admin/functions/ReminderSweep", null);
    }

    private static string Body(string clientRef, string justification, string danger, DateTimeOffset? nextSession)
    {
        var now = DateTimeOffset.UtcNow;
        return JsonSerializer.Serialize(new
        {
            clientRef,
            occurredAt = now.AddMinutes(-20),
            crisis = new { dangerSuspected = danger, riskLevel = "imminent", contactAttempts = new[] { new { channel = "phone", at = now.AddHours(-1) } } },
            justification,
            scope = new { sources = new[] { "blog" } },
            findings = "FINDING-" + clientRef,
            nextSessionAt = nextSession,
        });
    }

    private async Task<(string Id, string[] Secrets)> LogAsync(HttpClient client, DateTimeOffset? nextSession)
    {
        var secrets = new[] { "CLIENT-" + Guid.NewGuid().ToString("N")[..10], "JUSTIFY-" + Guid.NewGuid().ToString("N"), "DANGER-" + Guid.NewGuid().ToString("N") };
        var response = await client.PostAsync("api/searches", LocalHostFixture.Json(Body(secrets[0], secrets[1], secrets[2], nextSession)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        return (id, [.. secrets, "FINDING-" + secrets[0]]);
    }

    [Fact]
    public async Task Sweep_SessionIn30Minutes_ExactlyOneEmailAndOneWebhookWithoutClientData()
    {
        await host.Smtp.ClearAsync();
        host.Webhook.Bodies.Clear();
        using var client = Therapist(Guid.NewGuid().ToString("D"));
        var (id, secrets) = await LogAsync(client, DateTimeOffset.UtcNow.AddMinutes(30));

        Assert.Equal(HttpStatusCode.Accepted, (await SweepAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SweepAsync()).StatusCode);

        var mail = Assert.Single(await host.Smtp.MessagesAsync());
        Assert.Equal([ReminderHostFixture.TherapistEmail], mail.To);
        var reference = "WA-" + Guid.Parse(id).ToString("N")[..8].ToUpperInvariant();
        Assert.Contains(reference, mail.Source, StringComparison.Ordinal);
        Assert.Contains(ReminderHostFixture.PhoneLink, mail.Source, StringComparison.Ordinal);
        var hook = Assert.Single(host.Webhook.Bodies);
        Assert.Contains(reference, hook, StringComparison.Ordinal);
        foreach (var secret in secrets.Append(id))
        {
            Assert.DoesNotContain(secret, mail.Source, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, hook, StringComparison.OrdinalIgnoreCase);
        }
        var detail = JsonDocument.Parse(await client.GetStringAsync($"api/searches/{id}")).RootElement;
        Assert.Equal(["email", "webhook"], detail.GetProperty("reminders").EnumerateArray().Select(r => r.GetProperty("channel").GetString()).Order());
    }

    [Fact]
    public async Task Sweep_TwoStartedTogether_SendOneEmail()
    {
        await host.Smtp.ClearAsync();
        using var client = Therapist(Guid.NewGuid().ToString("D"));
        await LogAsync(client, DateTimeOffset.UtcNow.AddMinutes(45));

        var results = await Task.WhenAll(SweepAsync(), SweepAsync(), SweepAsync());

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Single(await host.Smtp.MessagesAsync());
    }

    [Fact]
    public async Task Sweep_AfterDiscussionRecorded_SendsNothingMore()
    {
        using var client = Therapist(Guid.NewGuid().ToString("D"));
        var (id, _) = await LogAsync(client, null);
        await client.PostAsync($"api/searches/{id}/discussion", LocalHostFixture.Json(JsonSerializer.Serialize(new { discussedAt = DateTimeOffset.UtcNow })));
        await host.Smtp.ClearAsync();

        Assert.Equal(HttpStatusCode.Accepted, (await SweepAsync()).StatusCode);

        Assert.Empty(await host.Smtp.MessagesAsync());
    }

    [Fact]
    public async Task Sweep_SmtpDown_NothingRecordedAndTheNextSweepSends()
    {
        using var client = Therapist(Guid.NewGuid().ToString("D"));
        var (id, _) = await LogAsync(client, DateTimeOffset.UtcNow.AddMinutes(50));
        HttpStatusCode downStatus = 0;
        string[] recordedWhileDown = [];

        await host.SmtpOutageAsync(async () =>
        {
            var response = await SweepAsync();
            downStatus = response.StatusCode;
            var detail = JsonDocument.Parse(await client.GetStringAsync($"api/searches/{id}")).RootElement;
            recordedWhileDown = detail.GetProperty("reminders").EnumerateArray().Select(r => r.GetProperty("channel").GetString()!).ToArray();
        });
        host.Clock.Skip(TimeSpan.FromSeconds(1.1)); // past the delivery circuit breaker's 1 s break (test settings), without waiting for it
        var after = await SweepAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, downStatus);
        Assert.DoesNotContain("email", recordedWhileDown);
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
        var mails = await host.Smtp.MessagesAsync();
        Assert.Contains(mails, m => m.Source.Contains("WA-" + Guid.Parse(id).ToString("N")[..8].ToUpperInvariant(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_TherapistWithOwnAddress_EmailGoesToThatAddress()
    {
        await host.Smtp.ClearAsync();
        using var client = Therapist(ReminderHostFixture.NamedTherapist);
        await LogAsync(client, DateTimeOffset.UtcNow.AddMinutes(35));

        Assert.Equal(HttpStatusCode.Accepted, (await SweepAsync()).StatusCode);

        var mail = Assert.Single(await host.Smtp.MessagesAsync());
        Assert.Equal([ReminderHostFixture.NamedTherapistEmail], mail.To);
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http.Identity;
using WelfareAudit.Testing;

namespace WelfareAudit.LocalHost.Tests.Reminders;

/// <summary>
/// The supervisors' daily digest end to end: searches logged through the API on a real Azurite, the digest job run
/// through the admin API (twice in a row and three at once, as duplicate timer firings and a second instance would),
/// a real SMTP server (smtp4dev). One mail per day, counts only, none of the client strings that were logged.
/// </summary>
public sealed class SupervisorDigestEndToEndTests : IAsyncLifetime
{
    private const string SupervisorEmail = "supervisors@practice.test";
    private readonly ShiftedClock _clock = new();
    private AzuriteServer _azurite = null!;
    private readonly string _table = AzuriteFixture.NewTableName("digest");
    private Smtp4devServer _smtp = null!;
    private WebApplication _app = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        var azurite = AzuriteServer.SharedAsync();
        var smtp = Smtp4devServer.StartAsync();
        _azurite = await azurite;
        _smtp = await smtp;
        var port = FreePort.Next();
        _app = WelfareAudit.LocalHost.LocalHostApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["WelfareAudit:Storage:ConnectionString"] = _azurite.ConnectionString,
            ["WelfareAudit:Storage:TableName"] = _table,
            ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(Directory.CreateTempSubdirectory("wa-digest-").FullName, "keys.json"),
            ["WelfareAudit:LocalHost:RunSchedules"] = "false",
            ["WelfareAudit:Reminders:Policy:TimeZone"] = "UTC",
            ["WelfareAudit:Reminders:Policy:DailyAt"] = "00:00:00",
            ["WelfareAudit:Reminders:Smtp:Host"] = "127.0.0.1",
            ["WelfareAudit:Reminders:Smtp:Port"] = _smtp.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WelfareAudit:Reminders:Smtp:Security"] = "None",
            ["WelfareAudit:Reminders:Smtp:From"] = "welfareaudit@practice.test",
            ["WelfareAudit:Reminders:DefaultTherapistEmail"] = "therapist@practice.test",
            ["WelfareAudit:Reminders:SupervisorEmails:0"] = SupervisorEmail,
            ["WelfareAudit:Reminders:PhoneLink"] = "https://welfareaudit.practice.test/",
        }, builder => builder.Services.AddSingleton<TimeProvider>(_clock));
        await _app.StartAsync();
        _base = new Uri($"http://127.0.0.1:{port}/");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _smtp.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private async Task<HttpStatusCode> DigestAsync()
    {
        using var admin = new HttpClient { BaseAddress = _base, Timeout = TimeSpan.FromMinutes(2) };
        return (await admin.PostAsync("admin/functions/SupervisorDigest", null)).StatusCode;
    }

    [Fact]
    public async Task Digest_RunTwiceAndThreeAtOnce_OneMailPerDayWithCountsAndNoClientStrings()
    {
        using var therapist = new HttpClient { BaseAddress = _base };
        therapist.DefaultRequestHeaders.Add(ClientPrincipal.HeaderName, ClientPrincipal.Encode(Guid.NewGuid().ToString("D"), Role.Therapist));
        string[] clientStrings = ["C-DIGEST-" + Guid.NewGuid().ToString("N")[..8], "C-DIGEST-" + Guid.NewGuid().ToString("N")[..8]];
        foreach (var clientRef in clientStrings)
        {
            var created = await therapist.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody(clientRef, "JUSTIFY-" + clientRef)));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Accepted, await DigestAsync());
        Assert.Equal(HttpStatusCode.Accepted, await DigestAsync());
        Assert.All(await Task.WhenAll(DigestAsync(), DigestAsync(), DigestAsync()), s => Assert.Equal(HttpStatusCode.Accepted, s));

        var mail = Assert.Single(await _smtp.MessagesAsync());
        Assert.Equal([SupervisorEmail], mail.To);
        Assert.Contains("waiting for a supervisor's review: 2", mail.Source, StringComparison.Ordinal);
        Assert.Contains("https://welfareaudit.practice.test/", mail.Source, StringComparison.Ordinal);
        foreach (var secret in clientStrings.Concat(clientStrings.Select(c => "JUSTIFY-" + c)))
        {
            Assert.DoesNotContain(secret, mail.Source, StringComparison.OrdinalIgnoreCase);
        }

        // The claims live outside every ledger: nothing new to list, verify or export.
        using var supervisor = new HttpClient { BaseAddress = _base };
        supervisor.DefaultRequestHeaders.Add(ClientPrincipal.HeaderName, ClientPrincipal.Encode(Guid.NewGuid().ToString("D"), Role.Supervisor));
        var verify = JsonDocument.Parse(await supervisor.GetStringAsync("api/ledger/verify")).RootElement;
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.Single(verify.GetProperty("ledgers").EnumerateArray());

        // The next day: one more.
        _clock.Skip(TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.Accepted, await DigestAsync());
        Assert.Equal(HttpStatusCode.Accepted, await DigestAsync());
        Assert.Equal(2, (await _smtp.MessagesAsync()).Count);
    }
}

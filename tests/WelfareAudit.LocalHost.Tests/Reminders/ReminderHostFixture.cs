using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using WelfareAudit.LocalHost;
using WelfareAudit.Testing;

namespace WelfareAudit.LocalHost.Tests.Reminders;

/// <summary>
/// The local host with reminders wired to a real SMTP server (smtp4dev, reached through a TCP proxy that can
/// cut it off) and a loopback webhook, over a real Azurite. Schedules are off: the tests run the sweep
/// through the admin API, as a person would. The host's clock is the system's, which a test may move on.
/// </summary>
public sealed class ReminderHostFixture : IAsyncLifetime
{
    public const string TherapistEmail = "therapist@practice.test";
    public const string SupervisorEmail = "supervisor@practice.test";
    public const string PhoneLink = "https://welfareaudit.practice.test/";
    public const string NamedTherapist = "6f1c2a44-0b7e-4d5a-9c1e-2f3a4b5c6d7e";
    public const string NamedTherapistEmail = "named.therapist@practice.test";

    private WebApplication? _app;

    public AzuriteServer Azurite { get; private set; } = null!;

    /// <summary>The host's table on the test process's shared Azurite (no other test uses it).</summary>
    public string TableName { get; } = AzuriteFixture.NewTableName("remind");

    public Smtp4devServer Smtp { get; private set; } = null!;

    /// <summary>Between the host and smtp4dev: an SMTP outage is a cut here, and smtp4dev keeps running.</summary>
    public TcpFaultProxy SmtpProxy { get; private set; } = null!;

    public ShiftedClock Clock { get; } = new();

    public WebhookReceiver Webhook { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var azurite = AzuriteServer.SharedAsync();
        var smtp = Smtp4devServer.StartAsync();
        Webhook = await WebhookReceiver.StartAsync();
        Azurite = await azurite;
        Smtp = await smtp;
        SmtpProxy = TcpFaultProxy.Start(Smtp.SmtpPort);
        var port = FreePort.Next();
        _app = LocalHostApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["WelfareAudit:Storage:ConnectionString"] = Azurite.ConnectionString,
            ["WelfareAudit:Storage:TableName"] = TableName,
            ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(Directory.CreateTempSubdirectory("wa-rem-").FullName, "keys.json"),
            ["WelfareAudit:LocalHost:RunSchedules"] = "false",
            ["WelfareAudit:Reminders:PhoneLink"] = PhoneLink,
            ["WelfareAudit:Reminders:Policy:TimeZone"] = "Europe/London",
            ["WelfareAudit:Reminders:Smtp:Host"] = "127.0.0.1",
            ["WelfareAudit:Reminders:Smtp:Port"] = SmtpProxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WelfareAudit:Reminders:Smtp:Security"] = "None",
            ["WelfareAudit:Reminders:Smtp:From"] = "welfareaudit@practice.test",
            ["WelfareAudit:Reminders:DefaultTherapistEmail"] = TherapistEmail,
            ["WelfareAudit:Reminders:Recipients:0:ObjectId"] = NamedTherapist,
            ["WelfareAudit:Reminders:Recipients:0:Email"] = NamedTherapistEmail,
            ["WelfareAudit:Reminders:SupervisorEmails:0"] = SupervisorEmail,
            ["WelfareAudit:Reminders:Webhook:Url"] = Webhook.Url.ToString(),
            ["WelfareAudit:Reminders:Delivery:Attempts"] = "2",
            ["WelfareAudit:Reminders:Delivery:InitialDelay"] = "00:00:00.050",
            ["WelfareAudit:Reminders:Delivery:AttemptTimeout"] = "00:00:05",
            ["WelfareAudit:Reminders:Delivery:BreakDuration"] = "00:00:01",
        }, builder => builder.Services.AddSingleton<TimeProvider>(Clock));
        await _app.StartAsync();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await Webhook.DisposeAsync();
        await SmtpProxy.DisposeAsync();
        await Smtp.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    /// <summary>
    /// An SMTP outage and its end: every connection to the SMTP server is cut and new ones are reset while
    /// <paramref name="whileDown"/> runs. (Stopping smtp4dev and starting it again took most of the test's time.)
    /// </summary>
    public async Task SmtpOutageAsync(Func<Task> whileDown)
    {
        SmtpProxy.Cut();
        try
        {
            await whileDown();
        }
        finally
        {
            SmtpProxy.Restore();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ReminderHostCollection : ICollectionFixture<ReminderHostFixture>
{
    public const string Name = "ReminderHost";
}

using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using WelfareAudit.LocalHost;
using WelfareAudit.Testing;

namespace WelfareAudit.PhonePage.Tests;

/// <summary>
/// The supervisor's page against its own table on the test process's real Azurite and its own local host, whose clock the tests move
/// (<see cref="Clock"/>): overdue sessions and escalations come from time passing, never from real waits.
/// Reminders go to a loopback webhook, and the sweep runs when a test asks (schedules off), as through the
/// Functions host's admin API. App Service Authentication is emulated as for the phone page.
/// </summary>
public sealed class SupervisorPageFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private WebApplication? _webhook;

    public AzuriteServer Azurite { get; private set; } = null!;

    /// <summary>The host's table on the test process's shared Azurite (no other test uses it).</summary>
    public string TableName { get; } = AzuriteFixture.NewTableName("supervisor");

    public Uri BaseAddress { get; private set; } = null!;

    public ShiftedClock Clock { get; } = new();

    public AppServiceAuthentication Authentication { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        PhonePageFixture.RequireChromium("supervisor page");
        Azurite = await AzuriteServer.SharedAsync();
        var hook = await StartWebhookAsync();
        var port = FreePort.Next();
        _app = LocalHostApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["WelfareAudit:Storage:ConnectionString"] = Azurite.ConnectionString,
            ["WelfareAudit:Storage:TableName"] = TableName,
            ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(Directory.CreateTempSubdirectory("wa-sup-").FullName, "keys.json"),
            ["WelfareAudit:LocalHost:RunSchedules"] = "false",
            ["WelfareAudit:Reminders:Webhook:Url"] = hook.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        }, builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(Clock);
            builder.Services.AddSingleton<IStartupFilter>(Authentication);
        });
        Authentication.IdentityProvider = new Uri($"http://localhost:{port}/");
        await _app.StartAsync();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");

        Browser = await PhonePageFixture.SharedChromiumAsync();
    }

    /// <summary>A loopback incoming-webhook receiver that accepts every reminder digest.</summary>
    private async Task<Uri> StartWebhookAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _webhook = builder.Build();
        _webhook.MapPost("/hook", () => Results.Ok());
        await _webhook.StartAsync();
        return new Uri($"http://127.0.0.1:{port}/hook");
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _app, _webhook })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }

    /// <summary>The header App Service Authentication sends for a user with these app roles (the phone tests' own writer).</summary>
    public static string Principal(string objectId, params string[] roles) => PhonePageFixture.Principal(objectId, roles, name: "Dr. Test Supervisor");

    /// <summary>A browser context signed in with these roles (by the principal header), at phone size unless told.</summary>
    public async Task<IBrowserContext> BrowserAsync(string objectId, string[] roles, int width = 390, int height = 844)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = 1,          // the screenshots in docs/images stay small
            IsMobile = width < 600,
            HasTouch = width < 600,
            Locale = "en-GB",
            TimezoneId = "Europe/Berlin",
            AcceptDownloads = true,
        });
        await context.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["X-MS-CLIENT-PRINCIPAL"] = Principal(objectId, roles) });
        return context;
    }

    /// <summary>An API client for a user with these roles.</summary>
    public HttpClient Api(string objectId, params string[] roles)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", Principal(objectId, roles));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>Runs the reminder sweep now, as the Functions host's admin API would; it has run when this returns.</summary>
    public async Task RunReminderSweepAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var response = await client.PostAsync("admin/functions/ReminderSweep", null);
        Assert.True(response.IsSuccessStatusCode, $"ReminderSweep: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WelfareAudit.LocalHost;
using WelfareAudit.Testing;

namespace WelfareAudit.PhonePage.Tests;

/// <summary>
/// A real Azurite, the local host on a free loopback port (the same handlers and phone page as the Functions
/// app), and the Debian Chromium driven by Playwright. Playwright never downloads a browser: it launches
/// /usr/bin/chromium, and the tests fail (not skip) when it is missing.
/// </summary>
public sealed class PhonePageFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private WebApplication? _app;

    public AzuriteServer Azurite { get; private set; } = null!;

    /// <summary>The host's table on the test process's shared Azurite (no other test uses it).</summary>
    public string TableName { get; } = AzuriteFixture.NewTableName("phone");

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The emulated App Service Authentication in front of the local host.</summary>
    public AppServiceAuthentication Authentication { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The host's services, to prepare data in bulk without the API's rate budget (the list of more than one page).</summary>
    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        RequireChromium("phone page");
        Azurite = await AzuriteServer.SharedAsync();
        var keyFile = Path.Combine(Directory.CreateTempSubdirectory("wa-phone-").FullName, "keys.json");
        var port = FreePort.Next();
        _app = LocalHostApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["WelfareAudit:Storage:ConnectionString"] = Azurite.ConnectionString,
            ["WelfareAudit:Storage:TableName"] = TableName,
            ["WelfareAudit:Keys:LocalKeyFile"] = keyFile,
            ["Logging:LogLevel:Default"] = "Warning",
        }, builder => builder.Services.AddSingleton<IStartupFilter>(Authentication));
        Authentication.IdentityProvider = new Uri($"http://localhost:{port}/");
        await _app.StartAsync();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");

        Browser = await SharedChromiumAsync();
    }

    /// <summary>Fails (never skips) when Debian Chromium is missing: <paramref name="tests"/> drive it and never download a browser.</summary>
    internal static void RequireChromium(string tests)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}; the {tests} tests drive it and never download a browser. " +
                "install Debian chromium: apt-get install -y chromium");
        }
    }

    /// <summary>How long an <c>Expect(...)</c> waits for its condition before failing.</summary>
    internal const float ExpectTimeoutMs = 20_000;

    /// <summary>
    /// Installs Playwright's clock on <paramref name="page"/> at <paramref name="start"/> and pauses it a little
    /// later, so no page timer fires unless the test runs the clock on. The clock runs from the install to the
    /// pause, so the pause lies 10 s ahead: far enough that a busy machine never reaches it first.
    /// </summary>
    internal static async Task InstallPausedClockAsync(IPage page, DateTime start)
    {
        await page.Clock.InstallAsync(new ClockInstallOptions { TimeDate = start });
        await page.Clock.PauseAtAsync(start.AddSeconds(10));
    }

    private static readonly Lazy<Task<IBrowser>> SharedChromium = new(async () =>
    {
        var (playwright, browser) = await LaunchChromiumAsync();
        // Disposing the driver ends the browser it launched.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => playwright.Dispose();
        return browser;
    });

    /// <summary>
    /// The one Chromium of this test process, launched on first use and ended when the process exits: the phone
    /// and supervisor fixtures each open their own contexts in it (a context is its own profile: cookies, storage,
    /// service workers), and each launch cost a browser, a GPU process, utility processes and a Playwright driver.
    /// </summary>
    internal static Task<IBrowser> SharedChromiumAsync() => SharedChromium.Value;

    /// <summary>Debian Chromium, headless, through Playwright's driver; never fetches a browser.</summary>
    private static async Task<(IPlaywright, IBrowser)> LaunchChromiumAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        // The suite runs every test assembly at once on two cores: a page can take longer than Playwright's
        // 5 s default to render. A passing assertion returns as soon as it holds, so this costs nothing.
        Assertions.SetDefaultExpectTimeout(ExpectTimeoutMs);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        return (playwright, browser);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }

    /// <summary>
    /// The identity header App Service Authentication would send for a therapist (the local host trusts it
    /// from loopback in Development), written out as the platform does rather than with the product's encoder.
    /// </summary>
    public static string TherapistPrincipal(string objectId) => Principal(objectId, ["Therapist"]);

    /// <summary>The platform's principal header for a user with the given app roles and display name.</summary>
    public static string Principal(string objectId, string[] roles, string name = "Dr. Test Therapist")
    {
        var json = JsonSerializer.Serialize(new
        {
            auth_typ = "aad",
            claims = new[]
            {
                new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = objectId },
                new { typ = "name", val = name },
            }.Concat(roles.Select(r => new { typ = "roles", val = r })).ToArray(),
            name_typ = "name",
            role_typ = "roles",
        });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>
    /// A phone-sized browser context (390x844) signed in as the given therapist by the principal header, or
    /// signed out when <paramref name="objectId"/> is null (the local host then answers the API with 401).
    /// </summary>
    public async Task<IBrowserContext> PhoneAsync(string? objectId, ServiceWorkerPolicy serviceWorkers = ServiceWorkerPolicy.Allow, int width = 390, int height = 844,
        string[]? roles = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            Locale = "en-GB",
            // Not UTC, so the page's local-time to ISO-with-offset conversion is exercised.
            TimezoneId = "Europe/Berlin",
            ServiceWorkers = serviceWorkers,
        });
        if (objectId is not null)
        {
            await context.SetExtraHTTPHeadersAsync(new Dictionary<string, string>
            {
                ["X-MS-CLIENT-PRINCIPAL"] = Principal(objectId, roles ?? ["Therapist"]),
            });
        }
        return context;
    }

    /// <summary>
    /// Signs the browser in as the therapist the way App Service Authentication does, with a session cookie;
    /// returns the cookie's value.
    /// </summary>
    public async Task<string> SignInAsync(IBrowserContext context, string objectId)
    {
        var session = Authentication.StartSession(TherapistPrincipal(objectId));
        await context.AddCookiesAsync(
        [
            new Cookie
            {
                Name = AppServiceAuthentication.SessionCookie,
                Value = session,
                Url = BaseAddress.ToString(),
                HttpOnly = true,
                SameSite = SameSiteAttribute.Lax,
            },
        ]);
        return session;
    }

    /// <summary>An API client for the same therapist, to check what the server holds.</summary>
    public HttpClient Api(string objectId)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", TherapistPrincipal(objectId));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class PhonePageCollection : ICollectionFixture<PhonePageFixture>
{
    public const string Name = "PhonePage";
}

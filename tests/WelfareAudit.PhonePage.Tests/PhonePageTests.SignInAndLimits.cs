using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WelfareAudit.PhonePage.Tests;

/// <summary>
/// Behind App Service Authentication: an expired sign-in (401, or a redirect to the sign-in page), the manifest's
/// credentials, and the server's rate limit (429 with Retry-After). Time on the page is a clock the test moves.
/// </summary>
public sealed partial class PhonePageTests
{
    private const string SignInHref = "/.auth/login/aad?post_login_redirect_uri=/";

    /// <summary>
    /// Opens the page with a clock that the test moves: paused from the start (a minute back, so the times the
    /// page sends stay in the past for the server), so no timer — the retry, the request timeout — fires unless
    /// the test runs the clock on.
    /// </summary>
    private static async Task GotoWithPausedClockAsync(IPage page)
    {
        var start = DateTime.UtcNow.AddMinutes(-1);
        await PhonePageFixture.InstallPausedClockAsync(page, start);
        await page.GotoAsync("/");
    }

    /// <summary>Every API request the page makes, as Playwright observed it leaving the browser.</summary>
    private static ConcurrentQueue<IRequest> TrackApiRequests(IPage page)
    {
        var seen = new ConcurrentQueue<IRequest>();
        page.Request += (_, r) =>
        {
            if (new Uri(r.Url).AbsolutePath.StartsWith("/api/", StringComparison.Ordinal))
            {
                seen.Enqueue(r);
            }
        };
        return seen;
    }

    [Fact]
    public async Task SignedOut401_ShowsSignInLink_KeepsTheQueueWithoutRetrying_AndSendsItOnceAfterSignIn()
    {
        var therapist = NewTherapist();
        var clientRef = NewClientRef("OUT");
        await using var context = await host.PhoneAsync(objectId: null);   // the sign-in has expired
        var page = await context.NewPageAsync();
        var requests = TrackApiRequests(page);
        var seenBefore = host.Authentication.Seen.Count;
        await GotoWithPausedClockAsync(page);

        // The list's 401 says signed out, with the platform's sign-in link; not "no connection".
        var signedOut = page.GetByTestId("signed-out");
        await Expect(signedOut).ToBeVisibleAsync();
        await Expect(signedOut).ToContainTextAsync("You are signed out");
        await Expect(signedOut.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", SignInHref);
        await Expect(page.GetByTestId("list-status")).ToContainTextAsync("signed out");

        await FillMinimumAsync(page, clientRef);
        await page.GetByTestId("save-search").ClickAsync();
        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("Saved on this phone, not sent yet");
        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("You are signed out");
        await Expect(page.GetByTestId("save-result")).Not.ToContainTextAsync("No connection");
        await Expect(page.GetByTestId("queue-status")).ToHaveTextAsync("1 search waiting to be sent");
        Assert.Contains(clientRef, await page.EvaluateAsync<string>("() => localStorage.getItem('welfareaudit.unsent.v1')"), StringComparison.Ordinal);

        // Two minutes go by signed out: the search is kept, and not re-sent into the 401 over and over.
        await page.Clock.RunForAsync(120_000);
        await Expect(page.GetByTestId("queue-status")).ToHaveTextAsync("1 search waiting to be sent");
        Assert.Single(requests, r => r.Method == "POST");

        // Every API call carried X-Requested-With, so the platform answered 401 instead of redirecting to sign-in.
        Assert.NotEmpty(requests);
        foreach (var request in requests)
        {
            Assert.Equal("XMLHttpRequest", await request.HeaderValueAsync("x-requested-with"));
            Assert.Equal(401, (await request.ResponseAsync())!.Status);
        }
        var reached = host.Authentication.Seen.Skip(seenBefore).Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(requests.Count, reached.Length);
        Assert.All(reached, r => Assert.Equal("XMLHttpRequest", r.RequestedWith));
        Assert.DoesNotContain(reached, r => r.RedirectedToSignIn);

        // Signed in again (the platform's session cookie): the next authenticated answer sends the queue.
        await host.SignInAsync(context, therapist);
        await page.GetByTestId("refresh-list").ClickAsync();
        await Expect(page.GetByTestId("queue")).ToBeHiddenAsync();
        await Expect(signedOut).ToBeHiddenAsync();
        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("sent and saved");
        await Expect(page.GetByTestId("search-item").Filter(new LocatorFilterOptions { HasText = clientRef })).ToHaveCountAsync(1);

        using var api = host.Api(therapist);
        var only = Assert.Single(await ServerItemsAsync(api, "all"));
        Assert.Equal(clientRef, only.GetProperty("clientRef").GetString());
        var posts = requests.Where(r => r.Method == "POST").ToArray();
        Assert.Equal(2, posts.Length);
        Assert.Single(posts.Select(p => p.Headers["idempotency-key"]).Distinct());
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('welfareaudit.unsent.v1')"));
    }

    [Fact]
    public async Task RedirectToSignIn_IsSignedOutNotOffline_AndTheQueueIsSentAfterSignInOnPageLoad()
    {
        var therapist = NewTherapist();
        var clientRef = NewClientRef("REDIR");
        await using var context = await host.PhoneAsync(objectId: null);
        var page = await context.NewPageAsync();

        // Something between the phone and the app drops X-Requested-With, so the platform redirects to its
        // sign-in page (on another origin) instead of answering 401. The page still sent the header.
        var sent = new ConcurrentQueue<string>();
        async Task DropHeader(IRoute route)
        {
            var headers = new Dictionary<string, string>(route.Request.Headers, StringComparer.OrdinalIgnoreCase);
            sent.Enqueue(headers.Remove("x-requested-with", out var value) ? value : "");
            await route.ContinueAsync(new RouteContinueOptions { Headers = headers });
        }
        await page.RouteAsync("**/api/**", DropHeader);
        var seenBefore = host.Authentication.Seen.Count;

        await page.GotoAsync("/");
        var signedOut = page.GetByTestId("signed-out");
        await Expect(signedOut).ToContainTextAsync("You are signed out");
        await Expect(signedOut.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", SignInHref);
        await Expect(page.GetByTestId("list-status")).Not.ToContainTextAsync("no connection");

        await FillMinimumAsync(page, clientRef);
        await page.GetByTestId("save-search").ClickAsync();
        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("You are signed out");
        await Expect(page.GetByTestId("save-result")).Not.ToContainTextAsync("No connection");
        await Expect(page.GetByTestId("queue-status")).ToHaveTextAsync("1 search waiting to be sent");

        Assert.NotEmpty(sent);
        Assert.All(sent, v => Assert.Equal("XMLHttpRequest", v));
        // The server really redirected the list and the search to sign-in.
        var redirected = host.Authentication.Seen.Skip(seenBefore).Where(r => r.RedirectedToSignIn).ToArray();
        Assert.Contains(redirected, r => r is { Method: "GET", Path: "/api/searches" });
        Assert.Contains(redirected, r => r is { Method: "POST", Path: "/api/searches" });

        // Signed in again: the page load after sign-in sends the queue.
        await page.UnrouteAsync("**/api/**", DropHeader);
        await host.SignInAsync(context, therapist);
        await page.ReloadAsync();
        await Expect(page.GetByTestId("queue")).ToBeHiddenAsync();
        await Expect(signedOut).ToBeHiddenAsync();
        using var api = host.Api(therapist);
        var only = Assert.Single(await ServerItemsAsync(api, "all"));
        Assert.Equal(clientRef, only.GetProperty("clientRef").GetString());
    }

    [Fact]
    public async Task Manifest_IsFetchedWithCredentials_SoTheSignInCookieGoesWithIt()
    {
        // No service worker: its own fetch of the shell would carry the cookie whatever the link says.
        await using var context = await host.PhoneAsync(objectId: null, ServiceWorkerPolicy.Block);
        var session = await host.SignInAsync(context, NewTherapist());
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("No searches awaiting discussion.");   // signed in by the cookie

        var link = page.Locator("link[rel=manifest]");
        await Expect(link).ToHaveAttributeAsync("crossorigin", "use-credentials");
        Assert.Equal("use-credentials", await link.EvaluateAsync<string>("l => l.crossOrigin"));

        // Chromium fetches the manifest as it would to install the app; the server sees the session cookie.
        var cdp = await context.NewCDPSessionAsync(page);
        var manifest = await cdp.SendAsync("Page.getAppManifest");
        Assert.Contains("WelfareAudit", manifest?.GetProperty("data").GetString() ?? "", StringComparison.Ordinal);
        Assert.Contains(host.Authentication.Seen, r => r.Path == "/manifest.webmanifest" && r.SessionCookie == session);
    }

    [Fact]
    public async Task RateLimited429_KeepsTheSearch_NoRetryBeforeRetryAfterInSecondsOrAsADate_ThenSentOnceWithTheSameKey()
    {
        var therapist = NewTherapist();
        var clientRef = NewClientRef("LIMIT");
        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();
        await GotoWithPausedClockAsync(page);
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("No searches awaiting discussion.");

        // The first attempt is limited for 30 s, the second until an HTTP-date 20 s after the server's Date;
        // the third goes through to the real local host.
        var keys = new ConcurrentQueue<string>();
        var attempts = 0;
        await page.RouteAsync("**/api/searches", async route =>
        {
            if (route.Request.Method != "POST")
            {
                await route.ContinueAsync();
                return;
            }
            keys.Enqueue(route.Request.Headers.TryGetValue("idempotency-key", out var key) ? key : "");
            var attempt = Interlocked.Increment(ref attempts);
            if (attempt > 2)
            {
                await route.ContinueAsync();
                return;
            }
            var serverDate = DateTimeOffset.UtcNow;
            await route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 429,
                ContentType = "application/problem+json",
                Headers = new Dictionary<string, string>
                {
                    ["Date"] = serverDate.ToString("R", CultureInfo.InvariantCulture),
                    ["Retry-After"] = attempt == 1 ? "30" : serverDate.AddSeconds(20).ToString("R", CultureInfo.InvariantCulture),
                },
                Body = """{"type":"about:blank","title":"Too many requests","status":429,"detail":"Too many requests; try again later."}""",
            });
        });

        await FillMinimumAsync(page, clientRef);
        await page.GetByTestId("save-search").ClickAsync();
        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("Saved on this phone, not sent yet");
        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("Too many requests — will retry in 30 s");
        await Expect(page.GetByTestId("queue-status")).ToHaveTextAsync("1 search waiting to be sent");
        await Expect(page.GetByTestId("queue-detail")).ToContainTextAsync("Too many requests — will retry in 30 s");

        // Neither "Send now" nor the periodic retry sends it before Retry-After.
        await page.GetByTestId("queue-send").ClickAsync();
        await page.Clock.RunForAsync(29_000);
        await Expect(page.GetByTestId("queue-detail")).ToContainTextAsync("will retry in 1 s");
        Assert.Equal(1, Volatile.Read(ref attempts));

        await page.Clock.RunForAsync(1_000);
        await Expect(page.GetByTestId("queue-detail")).ToContainTextAsync("Too many requests — will retry in 20 s");
        Assert.Equal(2, Volatile.Read(ref attempts));
        await page.GetByTestId("queue-send").ClickAsync();
        await page.Clock.RunForAsync(19_000);
        await Expect(page.GetByTestId("queue-detail")).ToContainTextAsync("will retry in 1 s");
        Assert.Equal(2, Volatile.Read(ref attempts));

        await page.Clock.RunForAsync(1_000);
        await Expect(page.GetByTestId("queue")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("sent and saved");
        Assert.Equal(3, Volatile.Read(ref attempts));

        using var api = host.Api(therapist);
        var only = Assert.Single(await ServerItemsAsync(api, "all"));
        Assert.Equal(clientRef, only.GetProperty("clientRef").GetString());
        var onlyKey = Assert.Single(keys.Distinct());
        Assert.True(Guid.TryParse(onlyKey, out _), $"the Idempotency-Key should be a UUID: '{onlyKey}'");
    }
}

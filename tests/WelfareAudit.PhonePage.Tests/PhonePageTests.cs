using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WelfareAudit.PhonePage.Tests;

/// <summary>The phone page in a phone-sized Chromium against the real local host, Azurite and key file.</summary>
[Collection(PhonePageCollection.Name)]
public sealed partial class PhonePageTests(PhonePageFixture host, ITestOutputHelper output)
{
    private static string NewTherapist() => Guid.NewGuid().ToString("D");

    private static string NewClientRef(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";

    /// <summary>A datetime-local value in the browser's own time zone, <paramref name="minutes"/> from now.</summary>
    private static Task<string> LocalTimeAsync(IPage page, double minutes) => page.EvaluateAsync<string>(
        """
        m => {
          const d = new Date(Date.now() + m * 60000);
          const p = n => String(n).padStart(2, '0');
          return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
        }
        """, minutes);

    /// <summary>Fills the required minimum of the crisis checklist, as a therapist would, through the labels.</summary>
    private static async Task FillMinimumAsync(IPage page, string clientRef)
    {
        await page.GetByLabel("Client code").FillAsync(clientRef);
        await page.GetByTestId("occurredAt-now").ClickAsync();
        await page.GetByLabel("What danger did you suspect?").FillAsync("Spoke of ending things; missed today's session.");
        await page.GetByLabel("Risk level").SelectOptionAsync("high");
        await page.GetByTestId("attempt-0-channel").SelectOptionAsync("phone");
        await page.GetByTestId("attempt-0-at").FillAsync(await LocalTimeAsync(page, -60));
        await page.GetByTestId("add-attempt").ClickAsync();
        await page.GetByTestId("attempt-1-channel").SelectOptionAsync("missedAppointment");
        await page.GetByTestId("attempt-1-at").FillAsync(await LocalTimeAsync(page, -90));
        await page.GetByLabel("Why was searching necessary").FillAsync("No answer by phone or email; a search could find someone close to the client.");
        await page.GetByLabel("Search engine").CheckAsync();
        await page.GetByLabel("Facebook").CheckAsync();
    }

    private static async Task<JsonElement[]> ServerItemsAsync(HttpClient api, string status)
    {
        var response = await api.GetAsync($"api/searches?status={status}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }

    private static IReadOnlyList<string> TrackPageProblems(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.Text.Contains("Uncaught", StringComparison.Ordinal)))
            {
                lock (problems) { problems.Add(m.Text); }
            }
        };
        page.PageError += (_, e) => { lock (problems) { problems.Add(e); } };
        return problems;
    }

    private string SaveScreenshotPath(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    [Fact]
    public async Task LogAtPhoneSize_AppearsAwaitingDiscussion_RecordingTheDiscussionRemovesIt()
    {
        var therapist = NewTherapist();
        var clientRef = NewClientRef("E2E");
        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();
        var problems = TrackPageProblems(page);

        var response = await page.GotoAsync("/");
        Assert.NotNull(response);
        Assert.Contains("default-src 'self'", await response.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("No searches awaiting discussion.");

        // The optional part of the checklist is collapsed: the required minimum comes first.
        await Expect(page.GetByTestId("more")).Not.ToHaveAttributeAsync("open", "");
        Assert.True(string.IsNullOrEmpty(await page.GetByTestId("occurredAt").InputValueAsync()), "the search time is set by a tap, not by opening the page");

        await FillMinimumAsync(page, clientRef);
        await page.GetByTestId("save-search").ClickAsync();

        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("Search saved");
        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("Discuss this search with the client");
        Assert.Equal("", await page.GetByLabel("Client code").InputValueAsync());   // the form is cleared

        var item = page.GetByTestId("search-item").Filter(new LocatorFilterOptions { HasText = clientRef });
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item.GetByTestId("item-status")).ToHaveTextAsync("Awaiting discussion");
        await Expect(item.GetByTestId("item-next")).ToHaveTextAsync("Not set");

        // What the server holds: one entry, with the two failed attempts sent as ISO times with offset.
        using var api = host.Api(therapist);
        var awaiting = await ServerItemsAsync(api, "awaiting-discussion");
        var entry = Assert.Single(awaiting);
        Assert.Equal(clientRef, entry.GetProperty("clientRef").GetString());
        var full = await api.GetStringAsync($"api/searches/{entry.GetProperty("id").GetString()}");
        Assert.Contains("missedAppointment", full, StringComparison.Ordinal);
        Assert.Contains("facebook", full, StringComparison.Ordinal);

        // Full-page screenshot of the phone screen with the entry awaiting discussion.
        var shot = SaveScreenshotPath("phone-page-390x844.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        output.WriteLine($"Screenshot: {shot}");
        Console.WriteLine($"Phone page screenshot: {shot}");

        // Set the next session from the card (PUT), then record the discussion (POST).
        await item.GetByTestId("open-next-session").ClickAsync();
        await item.GetByLabel("Next session").FillAsync(await LocalTimeAsync(page, 2 * 24 * 60));
        await item.GetByTestId("save-next-session").ClickAsync();
        await Expect(page.GetByTestId("list-status")).ToContainTextAsync("Next session set");
        item = page.GetByTestId("search-item").Filter(new LocatorFilterOptions { HasText = clientRef });
        await Expect(item.GetByTestId("item-next")).Not.ToHaveTextAsync("Not set");
        var withSession = Assert.Single(await ServerItemsAsync(api, "awaiting-discussion"));
        var next = withSession.GetProperty("nextSessionAt").GetDateTimeOffset();
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.FromHours(47), TimeSpan.FromHours(49));


        await item.GetByTestId("open-discussion").ClickAsync();
        await Expect(item.GetByTestId("discussedAt")).Not.ToHaveValueAsync("");   // defaults to now
        await item.GetByLabel("What did you tell the client?").FillAsync("Explained the search and why; agreed on a safety plan.");
        await item.GetByLabel("How did the client respond?").FillAsync("Understood; asked to be phoned twice next time.");
        await item.GetByTestId("save-discussion").ClickAsync();

        await Expect(page.GetByTestId("list-status")).ToContainTextAsync("Discussion recorded");
        await Expect(page.GetByTestId("search-item").Filter(new LocatorFilterOptions { HasText = clientRef })).ToHaveCountAsync(0);
        Assert.Empty(await ServerItemsAsync(api, "awaiting-discussion"));
        var discussed = Assert.Single(await ServerItemsAsync(api, "discussed"));
        Assert.Equal(clientRef, discussed.GetProperty("clientRef").GetString());

        // The service worker caches the shell only, never an API answer.
        await page.EvaluateAsync("() => navigator.serviceWorker.ready");
        var cached = await page.EvaluateAsync<string[]>(
            "async () => { const out = []; for (const n of await caches.keys()) { for (const r of await (await caches.open(n)).keys()) { out.push(r.url); } } return out; }");
        Assert.NotEmpty(cached);
        Assert.DoesNotContain(cached, u => u.Contains("/api/", StringComparison.Ordinal));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));

        Assert.Empty(problems);
    }

    [Fact]
    public async Task Offline_SubmissionIsQueued_AndSentOnceWithTheSameIdempotencyKeyWhenTheNetworkReturns()
    {
        var therapist = NewTherapist();
        var clientRef = NewClientRef("OFF");
        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();
        await GotoWithPausedClockAsync(page);
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("No searches awaiting discussion.");

        // The worst case first: the first POST reaches the server (the entry is written) but the answer is
        // lost; every later POST fails outright. Only GETs pass.
        var keys = new ConcurrentQueue<string>();
        var posts = 0;
        async Task Handler(IRoute route)
        {
            if (route.Request.Method != "POST")
            {
                await route.ContinueAsync();
                return;
            }
            keys.Enqueue(route.Request.Headers.TryGetValue("idempotency-key", out var key) ? key : "");
            if (Interlocked.Increment(ref posts) == 1)
            {
                await route.FetchAsync();          // the server gets it...
            }
            await route.AbortAsync("internetdisconnected");  // ...the phone does not hear back
        }
        await page.RouteAsync("**/api/searches", Handler);

        await FillMinimumAsync(page, clientRef);
        await page.GetByTestId("save-search").ClickAsync();

        await Expect(page.GetByTestId("queue-status")).ToHaveTextAsync("1 search waiting to be sent");
        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("Saved on this phone, not sent yet");
        var stored = await page.EvaluateAsync<string>("() => localStorage.getItem('welfareaudit.unsent.v1')");
        Assert.Contains(clientRef, stored, StringComparison.Ordinal);

        // The periodic retry keeps trying (every 5 s) while blocked: 5 s on the page's clock, none of real time.
        await page.Clock.RunForAsync(5_000);
        await page.WaitForFunctionAsync("() => (JSON.parse(localStorage.getItem('welfareaudit.unsent.v1')) || [])[0]?.tries >= 2");   // that retry is over
        Assert.True(Volatile.Read(ref posts) >= 2, "the queue was not retried while the network was down");
        await Expect(page.GetByTestId("queue-status")).ToHaveTextAsync("1 search waiting to be sent");

        await page.UnrouteAsync("**/api/searches", Handler);

        await page.Clock.RunForAsync(5_000);
        await Expect(page.GetByTestId("queue")).ToBeHiddenAsync(new LocatorAssertionsToBeHiddenOptions { Timeout = 20_000 });
        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("sent and saved");
        await Expect(page.GetByTestId("search-item").Filter(new LocatorFilterOptions { HasText = clientRef })).ToHaveCountAsync(1);

        // Exactly one entry on the server, and every attempt carried the one key made before the first.
        using var api = host.Api(therapist);
        var all = await ServerItemsAsync(api, "all");
        Assert.Single(all, e => e.GetProperty("clientRef").GetString() == clientRef);
        Assert.Single(all);
        var distinct = keys.Distinct().ToArray();
        var onlyKey = Assert.Single(distinct);
        Assert.True(Guid.TryParse(onlyKey, out _), $"the Idempotency-Key should be a UUID: '{onlyKey}'");

        // Nothing of the client remains in browser storage once sent.
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('welfareaudit.unsent.v1')"));
    }

    [Fact]
    public async Task ServerFieldError_IsShownNextToTheField_AndTiedToIt()
    {
        var therapist = NewTherapist();
        var clientRef = NewClientRef("ERR");
        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("No searches awaiting discussion.");

        await FillMinimumAsync(page, clientRef);
        // A search "two days from now": the page leaves clock checks to the server (the phone's clock may be off).
        await page.GetByLabel("When did you search?").FillAsync(await LocalTimeAsync(page, 2 * 24 * 60));
        await page.GetByTestId("save-search").ClickAsync();

        var field = page.GetByLabel("When did you search?");
        var error = page.Locator("#occurredAt-error");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).ToContainTextAsync("future");
        await Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
        var describedBy = await field.GetAttributeAsync("aria-describedby") ?? "";
        Assert.Contains("occurredAt-error", describedBy.Split(' '));
        // Right next to the field: the error sits in the same field block, just before the control.
        Assert.True(await page.EvaluateAsync<bool>(
            "() => { const e = document.getElementById('occurredAt-error'); const f = document.getElementById('occurredAt'); return e.closest('.field') === f.closest('.field') && !!(e.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING); }"));

        // The summary names the field and links to it; the form keeps what was typed.
        await Expect(page.GetByTestId("form-errors")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("form-errors")).ToContainTextAsync("When did you search?");
        Assert.Equal(clientRef, await page.GetByLabel("Client code").InputValueAsync());

        using var api = host.Api(therapist);
        Assert.Empty(await ServerItemsAsync(api, "all"));

        // Fixing it and saving again works, and clears the error.
        await page.GetByTestId("occurredAt-now").ClickAsync();
        await page.GetByTestId("save-search").ClickAsync();
        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("Search saved");
        await Expect(page.Locator("#occurredAt-error")).ToHaveCountAsync(0);
        Assert.Single(await ServerItemsAsync(api, "all"));
    }

    [Fact]
    public async Task At360PixelsWide_NothingOverflows_AndRequiredFieldsAreMarked()
    {
        await using var context = await host.PhoneAsync(NewTherapist(), width: 360, height: 740);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("No searches awaiting discussion.");
        await page.GetByTestId("more").Locator("summary").ClickAsync();

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the page scrolls sideways at 360 px");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));

        // Every visible control has a label; required ones say so.
        var unlabelled = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('input, select, textarea')].filter(e => e.offsetParent !== null && e.labels.length === 0).map(e => e.id || e.name)");
        Assert.Empty(unlabelled);
        foreach (var label in new[] { "Client code", "When did you search?", "What danger did you suspect?", "Risk level", "Why was searching necessary" })
        {
            await Expect(page.GetByText(label, new PageGetByTextOptions { Exact = false }).First).ToContainTextAsync("required");
        }

        var shot = SaveScreenshotPath("phone-page-360-details-open.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        output.WriteLine($"Screenshot: {shot}");
    }
    [Fact]
    public async Task Shell_EveryFileIsServed_AndTheManifestIconsResolve()
    {
        using var api = new HttpClient { BaseAddress = host.BaseAddress };   // the shell needs no identity
        var expected = new Dictionary<string, string>
        {
            ["/"] = "text/html",
            ["/app.js"] = "text/javascript",
            ["/app.css"] = "text/css",
            ["/sw.js"] = "text/javascript",
            ["/manifest.webmanifest"] = "application/manifest+json",
            ["/icon.svg"] = "image/svg+xml",
        };
        foreach (var (path, type) in expected)
        {
            var response = await api.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        }

        using var manifest = JsonDocument.Parse(await api.GetStringAsync("/manifest.webmanifest"));
        var icons = manifest.RootElement.GetProperty("icons").EnumerateArray().ToArray();
        Assert.Contains(icons, i => i.GetProperty("src").GetString() == "icon.svg" && i.GetProperty("sizes").GetString() == "any");
        foreach (var icon in icons)
        {
            var response = await api.GetAsync("/" + icon.GetProperty("src").GetString());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(icon.GetProperty("type").GetString(), response.Content.Headers.ContentType?.MediaType);
        }

        // No inline script, style or handler anywhere in the page (the CSP would block them).
        var html = await api.GetStringAsync("/");
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);
        Assert.DoesNotMatch(@"\sstyle\s*=", html);
        Assert.DoesNotMatch(@"<style", html);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
    }
    [Fact]
    public async Task Server503_IsQueued_ThenSentOnce()
    {
        var therapist = NewTherapist();
        var clientRef = NewClientRef("BUSY");
        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();
        await GotoWithPausedClockAsync(page);
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("No searches awaiting discussion.");

        var answered503 = 0;
        await page.RouteAsync("**/api/searches", async route =>
        {
            if (route.Request.Method == "POST" && Interlocked.Increment(ref answered503) == 1)
            {
                await route.FulfillAsync(new RouteFulfillOptions
                {
                    Status = 503,
                    ContentType = "application/problem+json",
                    Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
                    Body = """{"type":"about:blank","title":"Service unavailable","status":503,"detail":"Storage is unavailable; try again shortly."}""",
                });
                return;
            }
            await route.ContinueAsync();
        });

        await FillMinimumAsync(page, clientRef);
        await page.GetByTestId("save-search").ClickAsync();
        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("Saved on this phone, not sent yet");

        await page.Clock.RunForAsync(1_000);   // Retry-After: 1, on the page's clock
        await Expect(page.GetByTestId("queue")).ToBeHiddenAsync(new LocatorAssertionsToBeHiddenOptions { Timeout = 20_000 });
        using var api = host.Api(therapist);
        var only = Assert.Single(await ServerItemsAsync(api, "all"));
        Assert.Equal(clientRef, only.GetProperty("clientRef").GetString());
    }

    [Fact]
    public async Task QueuedSearchRefusedLater_LeavesTheQueue_IsShown_AndCanBeLoadedBackWithItsFieldError()
    {
        var therapist = NewTherapist();
        var clientRef = NewClientRef("LATE");
        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("No searches awaiting discussion.");

        Task Block(IRoute route) => route.Request.Method == "POST" ? route.AbortAsync("internetdisconnected") : route.ContinueAsync();
        await page.RouteAsync("**/api/searches", Block);

        // Offline, and with a search time the server will refuse (in the future).
        await FillMinimumAsync(page, clientRef);
        await page.GetByLabel("When did you search?").FillAsync(await LocalTimeAsync(page, 2 * 24 * 60));
        await page.GetByTestId("save-search").ClickAsync();
        await Expect(page.GetByTestId("queue-status")).ToHaveTextAsync("1 search waiting to be sent");

        await page.UnrouteAsync("**/api/searches", Block);
        await page.GetByTestId("queue-send").ClickAsync();

        var refused = page.GetByTestId("rejected-item");
        await Expect(refused).ToContainTextAsync(clientRef);
        await Expect(page.GetByTestId("queue")).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('welfareaudit.unsent.v1')"));

        await refused.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Load it into the form to fix" }).ClickAsync();
        Assert.Equal(clientRef, await page.GetByLabel("Client code").InputValueAsync());
        await Expect(page.Locator("#occurredAt-error")).ToContainTextAsync("future");
        await Expect(page.GetByTestId("rejected")).ToBeHiddenAsync();

        using var api = host.Api(therapist);
        Assert.Empty(await ServerItemsAsync(api, "all"));
    }
    [Fact]
    public async Task Keyboard_EveryTabStopShowsVisibleFocus_AndTheFormCanBeSentWithEnter()
    {
        var therapist = NewTherapist();
        var clientRef = NewClientRef("KEY");
        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("No searches awaiting discussion.");

        // Walk the first 40 tab stops: each one is a real control and draws a focus outline.
        var seen = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var stop = await page.EvaluateAsync<string>(
                """
                () => {
                  const e = document.activeElement;
                  if (!e || e === document.body) { return 'body'; }
                  const s = getComputedStyle(e);
                  const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
                  return `${e.tagName.toLowerCase()}#${e.id || e.getAttribute('data-testid') || e.textContent.trim().slice(0, 20)}${visible ? '' : ' (NO VISIBLE FOCUS)'}`;
                }
                """);
            seen.Add(stop);
        }
        output.WriteLine(string.Join(Environment.NewLine, seen));
        Assert.DoesNotContain(seen, s => s.Contains("NO VISIBLE FOCUS", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.StartsWith("a#", StringComparison.Ordinal));            // the skip link comes first
        Assert.Contains("input#clientRef", seen);
        Assert.Contains(seen, s => s.Contains("save", StringComparison.Ordinal));

        // Fill it, then send it from the keyboard: Enter in a text field submits the form.
        await FillMinimumAsync(page, clientRef);
        await page.GetByLabel("Client code").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("Search saved");
        await Expect(page.GetByTestId("save-result")).ToBeFocusedAsync();
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WelfareAudit.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WelfareAudit.PhonePage.Tests;

/// <summary>
/// The supervisor's page in Chromium against the real local host and Azurite: the review queue and form, the
/// both-roles rule, the overview (overdue, escalations, rarity), ledger verification and the export. Every test
/// uses its own therapists and supervisors, since the overview and the queue span the whole practice.
/// </summary>
[Collection(SupervisorPageCollection.Name)]
public sealed partial class SupervisorPageTests(SupervisorPageFixture host, ITestOutputHelper output)
{
    private static readonly string[] Supervisor = ["Supervisor"];
    private static readonly string[] Therapist = ["Therapist"];
    private static readonly string[] BothRoles = ["Therapist", "Supervisor"];

    /// <summary>Set to 1 to write the screenshots into docs/images as well (the documentation's pictures).</summary>
    private const string DocsImagesVariable = "WELFAREAUDIT_DOCS_IMAGES";

    private sealed record Logged(string Id, string Reference, string ClientRef);

    private static string NewId() => Guid.NewGuid().ToString("D");

    private static string NewClientRef(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";

    /// <summary>Logs a search through the API, as the therapist's phone would, at times taken from the host's clock.</summary>
    private static async Task<Logged> LogAsync(HttpClient therapist, string clientRef, DateTimeOffset occurredAt, DateTimeOffset? nextSessionAt = null, string risk = "high")
    {
        var response = await therapist.PostAsJsonAsync("api/searches", new
        {
            clientRef,
            occurredAt,
            crisis = new
            {
                dangerSuspected = "Spoke of ending things; missed today's session.",
                riskLevel = risk,
                contactAttempts = new[] { new { channel = "phone", at = occurredAt.AddHours(-1) } },
            },
            justification = "No answer by phone or email; a search could find someone close to the client.",
            scope = new { sources = new[] { "searchEngine", "facebook" } },
            nextSessionAt,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"log: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = doc.RootElement.GetProperty("id").GetString()!;
        return new Logged(id, $"WA-{id[..8].ToUpperInvariant()}", clientRef);
    }

    private static async Task<JsonElement[]> QueueAsync(HttpClient supervisor, string therapist)
    {
        var response = await supervisor.GetAsync($"api/reviews?therapist={therapist}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }

    private static IReadOnlyList<string> TrackPageProblems(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.Contains("Failed to load resource", StringComparison.Ordinal))
            {
                lock (problems) { problems.Add(m.Text); }
            }
        };
        page.PageError += (_, e) => { lock (problems) { problems.Add(e); } };
        return problems;
    }

    /// <summary>Opens the page and waits for the supervisor's part to show itself and its first data.</summary>
    private static async Task OpenAsync(IPage page)
    {
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("supervisor-start")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("sv-summary")).ToContainTextAsync("As of");
        await Expect(page.GetByTestId("sv-ledgers-status")).Not.ToHaveTextAsync("Verifying…");
    }

    /// <summary>Shows only this therapist's searches in the queue (the queue spans the practice).</summary>
    private static async Task FilterQueueAsync(IPage page, string therapist)
    {
        await page.GetByTestId("sv-filter-therapist").SelectOptionAsync(therapist);
        await page.GetByTestId("sv-filter-apply").ClickAsync();
        await Expect(page.GetByTestId("sv-queue-status")).Not.ToHaveTextAsync("Loading…");
    }

    private static ILocator Item(IPage page, Logged search) =>
        page.Locator($"[data-testid=sv-item][data-reference='{search.Reference}']");

    /// <summary>
    /// A screenshot of a part of the page (by default at most 1,400 px of it: the lists span the whole practice) into the
    /// test output's artifacts/, and into docs/images when <see cref="DocsImagesVariable"/> is 1 and it is for the docs.
    /// </summary>
    private async Task ScreenshotAsync(IPage page, string name, ILocator part, bool docs = true, int maxHeight = 1400)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        await part.ScrollIntoViewIfNeededAsync();
        var box = await part.BoundingBoxAsync() ?? throw new InvalidOperationException($"{name}: the part is not visible");
        var scroll = await page.EvaluateAsync<float>("() => window.scrollY");
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = path,
            FullPage = true,
            Clip = new Clip { X = box.X, Y = box.Y + scroll, Width = box.Width, Height = Math.Min(box.Height, maxHeight) },
        });
        output.WriteLine($"Screenshot: {path}");
        if (docs && Environment.GetEnvironmentVariable(DocsImagesVariable) == "1")
        {
            var images = Path.Combine(RepositoryRoot.Path, "docs", "images");
            Directory.CreateDirectory(images);
            File.Copy(path, Path.Combine(images, name), overwrite: true);
        }
    }

    [Fact]
    public async Task Shell_SupervisorFilesAreServed_AndCachedWithTheShell()
    {
        using var api = new HttpClient { BaseAddress = host.BaseAddress };   // the shell needs no identity
        var sw = await api.GetStringAsync("/sw.js");
        foreach (var (file, type) in new[]
        {
            ("supervisor.js", "text/javascript"), ("supervisor-api.js", "text/javascript"), ("supervisor-queue.js", "text/javascript"),
            ("supervisor-export.js", "text/javascript"), ("supervisor.css", "text/css"),
        })
        {
            using var response = await api.GetAsync("/" + file);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file}: {response.StatusCode}");
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Contains($"'{file}'", sw, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Therapist_DoesNotSeeTheSupervisorPage()
    {
        var therapist = NewId();
        await using var context = await host.BrowserAsync(therapist, Therapist);
        var page = await context.NewPageAsync();
        var problems = TrackPageProblems(page);
        var oversight = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/oversight", StringComparison.Ordinal));
        await page.GotoAsync("/");

        Assert.Equal(403, (await oversight).Status);
        await Expect(page.GetByTestId("search-form")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("supervisor-start")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("supervisor-tab")).ToBeHiddenAsync();
        Assert.Empty(problems);
    }

    [Fact]
    public async Task WithoutAuthMe_ThePageIsShownFromTheOversightAnswer_AndAgainAfterViewingOneSearch()
    {
        var therapist = NewId();
        using var therapistApi = host.Api(therapist, Therapist);
        var search = await LogAsync(therapistApi, NewClientRef("NOME"), host.Clock.GetUtcNow().AddHours(-1));

        await using var context = await host.BrowserAsync(NewId(), Supervisor);
        var page = await context.NewPageAsync();
        // As in Azure with the token store off: the platform has no /.auth/me to say which roles the user holds.
        await page.RouteAsync("**/.auth/me", route => route.FulfillAsync(new RouteFulfillOptions { Status = 404 }));
        await OpenAsync(page);
        await Expect(page.GetByTestId("supervisor-tab")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-as")).ToBeHiddenAsync();

        await page.GotoAsync($"/#search/{search.Id}");
        await Expect(page.GetByTestId("detail")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("supervisor-start")).ToBeHiddenAsync();
        await page.GetByTestId("supervisor-tab").ClickAsync();
        await Expect(page.GetByTestId("supervisor-start")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Review_EndToEnd_OldestFirst_OneIdempotencyKeyEach_AndTheQueueEmpties()
    {
        var therapist = NewId();
        var supervisor = NewId();
        using var therapistApi = host.Api(therapist, Therapist);
        var now = host.Clock.GetUtcNow();
        var older = await LogAsync(therapistApi, NewClientRef("REV"), now.AddHours(-5));
        var newer = await LogAsync(therapistApi, NewClientRef("REV"), now.AddHours(-2), risk: "moderate");

        await using var context = await host.BrowserAsync(supervisor, Supervisor);
        var page = await context.NewPageAsync();
        var problems = TrackPageProblems(page);
        var posts = new ConcurrentQueue<IRequest>();
        page.Request += (_, r) => { if (r.Method == "POST" && r.Url.EndsWith("/review", StringComparison.Ordinal)) { posts.Enqueue(r); } };
        await OpenAsync(page);
        await FilterQueueAsync(page, therapist);

        // Oldest first; whose search it is, and no client code anywhere in the queue.
        var items = page.GetByTestId("sv-item");
        await Expect(items).ToHaveCountAsync(2);
        Assert.Equal(older.Reference, await items.Nth(0).GetAttributeAsync("data-reference"));
        Assert.Equal(newer.Reference, await items.Nth(1).GetAttributeAsync("data-reference"));
        await Expect(Item(page, older).GetByTestId("sv-therapist")).ToHaveTextAsync(therapist);
        await Expect(Item(page, newer).GetByTestId("sv-risk")).ToHaveTextAsync("Moderate");
        await Expect(page.GetByTestId("sv-queue")).Not.ToContainTextAsync(older.ClientRef);

        // The search as logged, to judge it: the justification, without the client code.
        var first = Item(page, older);
        await first.GetByTestId("sv-open-search").ClickAsync();
        await Expect(first.GetByTestId("sv-search-detail")).ToContainTextAsync("No answer by phone or email");
        await Expect(first.GetByTestId("sv-search-detail")).ToContainTextAsync("Facebook");
        await Expect(first.GetByTestId("sv-search-detail")).Not.ToContainTextAsync(older.ClientRef);

        // No outcome: the page says so next to the choice, and sends nothing.
        await first.GetByTestId("sv-open-review").ClickAsync();
        await first.GetByTestId("sv-save-review").ClickAsync();
        await Expect(first.GetByTestId("field-error")).ToHaveTextAsync("Choose an outcome.");
        await Expect(first.GetByRole(AriaRole.Radiogroup)).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Empty(posts);

        await first.GetByLabel("Concern").CheckAsync();
        await first.GetByLabel("Note").FillAsync("Justified, but try the emergency contact before searching next time.");
        await ScreenshotAsync(page, "supervisor-queue.png", page.GetByTestId("sv-queue"), maxHeight: 2400);
        await first.GetByTestId("sv-save-review").ClickAsync();
        await Expect(page.GetByTestId("sv-queue-status")).ToContainTextAsync($"Review saved for {older.Reference}: Concern.");
        await Expect(items).ToHaveCountAsync(1);

        var second = Item(page, newer);
        await second.GetByTestId("sv-open-review").ClickAsync();
        await second.GetByLabel("Appropriate").CheckAsync();
        await second.GetByTestId("sv-save-review").ClickAsync();
        await Expect(page.GetByTestId("sv-queue-status")).ToContainTextAsync($"Review saved for {newer.Reference}: Appropriate.");
        await Expect(page.GetByTestId("sv-queue-status")).ToContainTextAsync("No search waiting for review matches these filters.");
        await Expect(items).ToHaveCountAsync(0);

        // What the server holds: the queue is empty, each review once, with the reviewer; one key per review.
        using var supervisorApi = host.Api(supervisor, Supervisor);
        Assert.Empty(await QueueAsync(supervisorApi, therapist));
        using var detail = JsonDocument.Parse(await therapistApi.GetStringAsync($"api/searches/{older.Id}"));
        var review = Assert.Single(detail.RootElement.GetProperty("reviews").EnumerateArray());
        Assert.Equal("concern", review.GetProperty("outcome").GetString());
        Assert.Equal(supervisor, review.GetProperty("reviewer").GetString());
        Assert.Equal("Justified, but try the emergency contact before searching next time.", review.GetProperty("note").GetString());
        var keys = posts.Select(p => p.Headers.TryGetValue("idempotency-key", out var k) ? k : "").ToArray();
        Assert.Equal(2, keys.Length);
        Assert.All(keys, k => Assert.True(Guid.TryParse(k, out _), $"Idempotency-Key {k}"));
        Assert.NotEqual(keys[0], keys[1]);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task BothRoles_SeesBothViews_CannotReviewTheirOwnSearch_AndThePageSaysWhy()
    {
        var both = NewId();
        using var bothApi = host.Api(both, BothRoles);
        var own = await LogAsync(bothApi, NewClientRef("OWN"), host.Clock.GetUtcNow().AddHours(-1));

        await using var context = await host.BrowserAsync(both, BothRoles);
        var page = await context.NewPageAsync();
        await OpenAsync(page);
        await Expect(page.GetByTestId("search-form")).ToBeVisibleAsync();      // the therapist's views too
        await FilterQueueAsync(page, both);
        var item = Item(page, own);
        await Expect(item.GetByTestId("sv-therapist")).ToHaveTextAsync(both);   // whose search it is

        await item.GetByTestId("sv-open-review").ClickAsync();
        await item.GetByLabel("Appropriate").CheckAsync();
        await item.GetByTestId("sv-save-review").ClickAsync();

        await Expect(item.GetByTestId("sv-item-result")).ToContainTextAsync($"Not saved: {own.Reference} is your own search");
        await Expect(item.GetByTestId("sv-item-result")).ToContainTextAsync("Another supervisor must review it.");
        await Expect(item.GetByTestId("sv-own")).ToBeVisibleAsync();
        await Expect(item.GetByTestId("sv-open-review")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("sv-item")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "supervisor-own-search.png", item);

        // Still waiting for review; another supervisor may review it.
        var other = NewId();
        using var otherApi = host.Api(other, Supervisor);
        Assert.Single(await QueueAsync(otherApi, both));
        var response = await otherApi.PostAsJsonAsync($"api/searches/{own.Id}/review", new { outcome = "appropriate" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task AlreadyReviewedElsewhere_409_LeavesTheQueueWithAMessage()
    {
        var therapist = NewId();
        using var therapistApi = host.Api(therapist, Therapist);
        var search = await LogAsync(therapistApi, NewClientRef("TWICE"), host.Clock.GetUtcNow().AddHours(-1));

        await using var context = await host.BrowserAsync(NewId(), Supervisor);
        var page = await context.NewPageAsync();
        await OpenAsync(page);
        await FilterQueueAsync(page, therapist);
        var item = Item(page, search);
        await Expect(item).ToBeVisibleAsync();

        // Another supervisor reviews it while this page shows it.
        using var otherApi = host.Api(NewId(), Supervisor);
        Assert.Equal(HttpStatusCode.Created, (await otherApi.PostAsJsonAsync($"api/searches/{search.Id}/review", new { outcome = "appropriate" })).StatusCode);

        await item.GetByTestId("sv-open-review").ClickAsync();
        await item.GetByLabel("Follow-up needed").CheckAsync();
        await item.GetByTestId("sv-save-review").ClickAsync();
        await Expect(page.GetByTestId("sv-queue-status")).ToContainTextAsync($"{search.Reference} was already reviewed (by you or another supervisor), so it left the queue.");
        await Expect(page.GetByTestId("sv-item")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Queue_LoadMore_FetchesTheNextPageWithTheServersToken_ThenStops()
    {
        var therapist = NewId();
        using var therapistApi = host.Api(therapist, Therapist);
        var now = host.Clock.GetUtcNow();
        var logged = new List<Logged>();
        for (var i = 0; i < 21; i++)
        {
            logged.Add(await LogAsync(therapistApi, NewClientRef("PAGE"), now.AddMinutes(-60 + i)));
        }

        await using var context = await host.BrowserAsync(NewId(), Supervisor);
        var page = await context.NewPageAsync();
        var continuations = new ConcurrentQueue<string>();
        page.Request += (_, r) =>
        {
            var url = new Uri(r.Url);
            if (url.AbsolutePath == "/api/reviews" && url.Query.Contains("continuation=", StringComparison.Ordinal))
            {
                continuations.Enqueue(url.Query);
            }
        };
        await OpenAsync(page);
        await FilterQueueAsync(page, therapist);

        var items = page.GetByTestId("sv-item");
        await Expect(items).ToHaveCountAsync(20);
        await Expect(page.GetByTestId("sv-queue-status")).ToContainTextAsync("20 searches shown, oldest first. More can be loaded.");
        await page.GetByTestId("sv-more").ClickAsync();
        await Expect(items).ToHaveCountAsync(21);
        await Expect(page.GetByTestId("sv-more")).ToBeHiddenAsync();
        await Expect(items.Nth(20)).ToHaveAttributeAsync("data-reference", logged[20].Reference);
        await Expect(items.Nth(20).Locator("h3.item-title")).ToBeFocusedAsync();        // the keyboard lands on the first new one
        Assert.Single(continuations);
    }

    [Fact]
    public async Task Review_ByKeyboardOnly_FocusMovesToTheNextSearchAfterSaving()
    {
        var therapist = NewId();
        using var therapistApi = host.Api(therapist, Therapist);
        var now = host.Clock.GetUtcNow();
        var first = await LogAsync(therapistApi, NewClientRef("KEY"), now.AddHours(-2));
        var second = await LogAsync(therapistApi, NewClientRef("KEY"), now.AddHours(-1));

        await using var context = await host.BrowserAsync(NewId(), Supervisor);
        var page = await context.NewPageAsync();
        await OpenAsync(page);
        await FilterQueueAsync(page, therapist);
        var item = Item(page, first);

        // From the "Review" summary: Enter opens it, Tab reaches the outcome, arrows choose, Tab to the note and on.
        await item.GetByTestId("sv-open-review").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");
        await Expect(item.GetByLabel("Appropriate")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(item.GetByLabel("Concern")).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(item.GetByLabel("Note")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Discussed at supervision.");
        await page.Keyboard.PressAsync("Tab");
        await Expect(item.GetByTestId("sv-save-review")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByTestId("sv-queue-status")).ToContainTextAsync($"Review saved for {first.Reference}: Concern.");
        await Expect(Item(page, second).Locator("h3.item-title")).ToBeFocusedAsync();
    }
}

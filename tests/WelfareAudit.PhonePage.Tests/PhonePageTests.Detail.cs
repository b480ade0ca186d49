using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WelfareAudit.PhonePage.Tests;

/// <summary>
/// After a search is logged: the confirmation, the detail view, additions and corrections (online and through the
/// offline queue), the next-session sheet with "Record the discussion", and the list's order and filters.
/// </summary>
public sealed partial class PhonePageTests
{
    /// <summary>Logs a search through the API (as another phone would have), returning its id.</summary>
    private static async Task<string> LogThroughApiAsync(HttpClient api, string clientRef, TimeSpan ago, TimeSpan? nextSessionFromNow = null,
        string? findings = null, string risk = "high")
    {
        var now = DateTimeOffset.UtcNow;
        var body = new JsonObject
        {
            ["clientRef"] = clientRef,
            ["occurredAt"] = now - ago,
            ["crisis"] = new JsonObject
            {
                ["dangerSuspected"] = "Spoke of ending things; missed today's session.",
                ["riskLevel"] = risk,
                ["contactAttempts"] = new JsonArray(
                    new JsonObject { ["channel"] = "missedAppointment", ["at"] = now - ago - TimeSpan.FromMinutes(90) },
                    new JsonObject { ["channel"] = "phone", ["at"] = now - ago - TimeSpan.FromMinutes(30) }),
            },
            ["justification"] = "No answer by phone after a missed session.",
            ["scope"] = new JsonObject { ["sources"] = new JsonArray("searchEngine", "facebook"), ["queries"] = new JsonArray("first-name town") },
        };
        if (findings is not null)
        {
            body["findings"] = findings;
        }
        if (nextSessionFromNow is { } next)
        {
            body["nextSessionAt"] = now + next;
        }
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        var response = await api.PostAsync("api/searches", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> ServerDetailAsync(HttpClient api, string id)
    {
        using var doc = JsonDocument.Parse(await api.GetStringAsync($"api/searches/{id}"));
        return doc.RootElement.Clone();
    }

    /// <summary>Asserts axe finds nothing at WCAG 2.2 AA, at 100 % and at 200 % text, and no sideways scrolling at 200 %.</summary>
    private async Task AssertAccessibleAsync(IPage page, string view)
    {
        foreach (var size in new[] { 100, 200 })
        {
            await Accessibility.SetTextSizeAsync(page, size);
            var violations = await Accessibility.ViolationsAsync(page);
            output.WriteLine($"{view} at {size} %: {violations.Count} axe violations");
            Assert.True(violations.Count == 0, $"{view} at {size} % text:\n{string.Join('\n', violations)}");
            Assert.Equal("", await Accessibility.HorizontalOverflowAsync(page));
        }
        await Accessibility.SetTextSizeAsync(page, 100);
    }

    /// <summary>
    /// A screenshot of the viewport in CSS pixels (kept small: one screen, not the page): always into the test output's
    /// <c>artifacts/</c>, and into docs/images only with WELFAREAUDIT_DOCS_IMAGES=1, so that a test run leaves the
    /// committed pictures as they are.
    /// </summary>
    private static async Task DocScreenshotAsync(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("WELFAREAUDIT_DOCS_IMAGES") == "1"
            ? Path.Combine(Accessibility.RepositoryRoot(), "docs", "images")
            : Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name), Scale = ScreenshotScale.Css });
    }

    [Fact]
    public async Task Confirmation_ShowsTheReference_TakesFocus_AndOpensTheDetailWithEveryFieldInPlainWords()
    {
        var therapist = NewTherapist();
        var clientRef = NewClientRef("DET");
        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();
        var problems = TrackPageProblems(page);
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("No searches awaiting discussion.");

        await FillMinimumAsync(page, clientRef);
        await page.GetByTestId("save-search").ClickAsync();
        var result = page.GetByTestId("save-result");
        await Expect(result).ToContainTextAsync("reference WA-"); // the save has completed: the server holds it now

        using var api = host.Api(therapist);
        var id = Assert.Single(await ServerItemsAsync(api, "all")).GetProperty("id").GetString()!;
        var reference = $"WA-{id[..8].ToUpperInvariant()}";
        await Expect(result).ToContainTextAsync($"reference {reference}");
        await Expect(result).ToBeFocusedAsync();
        await Expect(result).ToHaveAttributeAsync("role", "status");
        await Expect(result).ToBeInViewportAsync();

        await page.GetByTestId("open-saved").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"#search/{id}$"));
        var detail = page.GetByTestId("detail");
        await Expect(detail).ToBeVisibleAsync();
        await Expect(page.GetByTestId("search-form")).ToBeHiddenAsync();
        await Expect(page.Locator("#detail-heading")).ToBeFocusedAsync();
        await Expect(page.GetByTestId("detail-reference")).ToHaveTextAsync(reference);
        await Expect(page.GetByTestId("detail-clientRef")).ToHaveTextAsync(clientRef);
        await Expect(page.GetByTestId("detail-state")).ToHaveTextAsync("Awaiting discussion with the client");
        await Expect(page.GetByTestId("detail-risk")).ToHaveTextAsync("High");
        await Expect(page.GetByTestId("detail-attempts")).ToContainTextAsync("Missed appointment — ");
        await Expect(page.GetByTestId("detail-attempts")).ToContainTextAsync("Phone — ");
        await Expect(page.GetByTestId("detail-sources")).ToContainTextAsync("A search engine");
        await Expect(page.GetByTestId("detail-sources")).ToContainTextAsync("Facebook");
        await Expect(page.GetByTestId("detail-findings")).ToHaveTextAsync("Not given");
        await Expect(page.GetByTestId("detail-no-discussion")).ToBeVisibleAsync();
        // Plain words only: none of the API's codes shows.
        var text = await detail.InnerTextAsync();
        foreach (var code in new[] { "missedAppointment", "searchEngine", "awaiting-discussion", "crisis.", "null", "undefined" })
        {
            Assert.DoesNotContain(code, text, StringComparison.Ordinal);
        }
        // Every time names the phone's time zone (Europe/Berlin in winter: CET).
        Assert.Contains("CET", await page.GetByTestId("detail-occurredAt").InnerTextAsync(), StringComparison.Ordinal);

        await AssertAccessibleAsync(page, "detail");
        await DocScreenshotAsync(page, "phone-detail.png");

        // Back to the list; from the list, the same search opens.
        await page.GetByTestId("detail-back").ClickAsync();
        await Expect(page.GetByTestId("search-form")).ToBeVisibleAsync();
        await Expect(detail).ToBeHiddenAsync();
        var item = page.GetByTestId("search-item").Filter(new LocatorFilterOptions { HasText = clientRef });
        await item.GetByTestId("open-detail").ClickAsync();
        await Expect(page.GetByTestId("detail-reference")).ToHaveTextAsync(reference);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Detail_ShowsRemindersEscalationsAndReviews_WhenTheServerHasThem()
    {
        var therapist = NewTherapist();
        using var api = host.Api(therapist);
        var id = await LogThroughApiAsync(api, NewClientRef("REM"), TimeSpan.FromHours(3), TimeSpan.FromHours(-1));
        using (var amendment = new StringContent("""{"field":"crisis.riskLevel","value":"imminent","reason":"The post said tonight."}""", Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"api/searches/{id}/amendments", amendment)).StatusCode);
        }
        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();

        // The server's own answer, with what the reminder sweep and a supervisor review would have added.
        await page.RouteAsync($"**/api/searches/{id}", async route =>
        {
            var response = await route.FetchAsync();
            var json = JsonNode.Parse(await response.TextAsync())!;
            var sent = DateTimeOffset.UtcNow.AddMinutes(-30);
            json["reminders"] = new JsonArray(
                new JsonObject { ["kind"] = "beforeSession", ["channel"] = "email", ["sentAt"] = sent.AddMinutes(-60) },
                new JsonObject { ["kind"] = "overdue", ["channel"] = "webhook", ["sentAt"] = sent.AddMinutes(-10) },
                new JsonObject { ["kind"] = "escalation", ["channel"] = "email", ["sentAt"] = sent });
            json["reviews"] = new JsonArray(new JsonObject
            {
                ["outcome"] = "follow-up-needed", ["reviewer"] = "reviewer-oid", ["reviewedAt"] = sent, ["note"] = "Book a call this week.",
            });
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = json.ToJsonString() });
        });
        await page.GotoAsync($"/#search/{id}");

        var body = page.GetByTestId("detail-body");
        await Expect(body).ToContainTextAsync("Before the session, by email");
        await Expect(body).ToContainTextAsync("The discussion is overdue, by message");
        await Expect(page.Locator(".detail-part").Filter(new LocatorFilterOptions { HasText = "Escalations to your supervisor" })).ToContainTextAsync("By email");
        await Expect(page.Locator(".detail-part").Filter(new LocatorFilterOptions { HasText = "Supervisor reviews" })).ToContainTextAsync("Follow-up needed");
        await Expect(body).ToContainTextAsync("Book a call this week.");
        await Expect(page.GetByTestId("detail-state")).ToContainTextAsync("overdue");
        await Expect(page.GetByTestId("detail-risk")).ToContainTextAsync("High");
        await Expect(page.GetByTestId("detail-risk").GetByTestId("later")).ToContainTextAsync("Imminent — reason: The post said tonight.");
        await AssertAccessibleAsync(page, "detail with reminders, reviews and an addition");
    }

    [Fact]
    public async Task Addition_Online_KeepsTheOriginalVisible_Offline_IsSentOnceWithTheSameKey()
    {
        var therapist = NewTherapist();
        using var api = host.Api(therapist);
        var id = await LogThroughApiAsync(api, NewClientRef("ADD"), TimeSpan.FromHours(2), findings: "A public post from this morning.");
        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();
        await GotoWithPausedClockAsync(page);
        await page.EvaluateAsync($"() => {{ location.hash = '#search/{id}'; }}");
        await Expect(page.GetByTestId("detail-findings")).ToContainTextAsync("A public post from this morning.");

        // Online: an addition with its reason; the original stays beside it.
        await page.GetByTestId("open-amend").ClickAsync();
        await page.GetByLabel("What do you want to add or correct?").SelectOptionAsync("findings");
        await page.GetByLabel("What should it say?").FillAsync("The post was from last week.");
        await page.GetByTestId("save-amendment").ClickAsync();
        // The reason is required, and the error names the field in the page's words.
        await Expect(page.Locator("#amend-errors")).ToContainTextAsync("Why are you adding or correcting it?");
        await page.GetByLabel("Why are you adding or correcting it?").FillAsync("Misread the date.");
        await page.GetByTestId("save-amendment").ClickAsync();
        await Expect(page.GetByTestId("amend-result")).ToContainTextAsync("Addition saved");
        var findings = page.GetByTestId("detail-findings");
        await Expect(findings).ToContainTextAsync("A public post from this morning.");
        await Expect(findings.GetByTestId("later")).ToContainTextAsync("The post was from last week.");
        await Expect(findings.GetByTestId("later")).ToContainTextAsync("reason: Misread the date.");

        // Offline: the first POST reaches the server but the answer is lost; later ones fail outright.
        var keys = new ConcurrentQueue<string>();
        var posts = 0;
        async Task Handler(IRoute route)
        {
            keys.Enqueue(route.Request.Headers.TryGetValue("idempotency-key", out var key) ? key : "");
            if (Interlocked.Increment(ref posts) == 1)
            {
                await route.FetchAsync();
            }
            await route.AbortAsync("internetdisconnected");
        }
        await page.RouteAsync($"**/api/searches/{id}/amendments", Handler);
        await page.GetByTestId("open-amend").ClickAsync();
        await page.GetByLabel("What do you want to add or correct?").SelectOptionAsync("actionsTaken");
        await page.GetByLabel("What should it say?").FillAsync("Phoned the client's GP.");
        await page.GetByLabel("Why are you adding or correcting it?").FillAsync("Done after logging.");
        await page.GetByTestId("save-amendment").ClickAsync();
        await Expect(page.GetByTestId("amend-result")).ToContainTextAsync("Saved on this phone, not sent yet");
        await Expect(page.GetByTestId("queue-status")).ToHaveTextAsync("1 addition waiting to be sent");

        await page.Clock.RunForAsync(5_000);
        await page.WaitForFunctionAsync("() => (JSON.parse(localStorage.getItem('welfareaudit.unsent.v1')) || [])[0]?.tries >= 2");
        await page.UnrouteAsync($"**/api/searches/{id}/amendments", Handler);
        await page.Clock.RunForAsync(5_000);
        await Expect(page.GetByTestId("queue")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("detail-actions-taken").GetByTestId("later")).ToContainTextAsync("Phoned the client's GP.");

        var amendments = (await ServerDetailAsync(api, id)).GetProperty("amendments").EnumerateArray().ToArray();
        Assert.Equal(2, amendments.Length);
        Assert.Single(amendments, a => a.GetProperty("field").GetString() == "actionsTaken");
        var onlyKey = Assert.Single(keys.Distinct());
        Assert.True(Guid.TryParse(onlyKey, out _));
        Assert.True(Volatile.Read(ref posts) >= 2, "the addition was not retried while offline");
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('welfareaudit.unsent.v1')"));
    }

    [Fact]
    public async Task Sheet_PlainLanguageWithoutCodes_Prints_AndRecordsTheDiscussion()
    {
        var therapist = NewTherapist();
        var clientRef = NewClientRef("SHEET");
        using var api = host.Api(therapist);
        var id = await LogThroughApiAsync(api, clientRef, TimeSpan.FromHours(5), TimeSpan.FromHours(1), findings: "A public post from this morning.");
        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();
        var problems = TrackPageProblems(page);
        await page.GotoAsync($"/#search/{id}");
        await page.GetByTestId("open-sheet").ClickAsync();

        var sheet = page.GetByTestId("sheet");
        await Expect(sheet).ToBeVisibleAsync();
        await Expect(page.Locator("#sheet-heading")).ToBeFocusedAsync();
        var body = page.GetByTestId("sheet-body");
        await Expect(body).ToContainTextAsync("I looked for information about you online");
        await Expect(body).ToContainTextAsync("You missed our appointment");
        await Expect(body).ToContainTextAsync("I phoned you");
        await Expect(body).ToContainTextAsync("A search engine, Facebook");
        await Expect(body).ToContainTextAsync("A public post from this morning.");
        var text = await body.InnerTextAsync();
        // The usual contacts in the order they failed: the missed appointment came before the phone call.
        Assert.True(text.IndexOf("You missed our appointment", StringComparison.Ordinal) < text.IndexOf("I phoned you", StringComparison.Ordinal));
        foreach (var code in new[] { "WA-", clientRef, id, "missedAppointment", "searchEngine", "high", "High", "risk" })
        {
            Assert.DoesNotContain(code, text, StringComparison.Ordinal);
        }
        await AssertAccessibleAsync(page, "sheet");
        await DocScreenshotAsync(page, "phone-sheet.png");

        // Printed: the sheet alone, without the page's header, buttons or forms.
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await Expect(body).ToBeVisibleAsync();
        await Expect(page.Locator(".site-header")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("sheet-print")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("sheet-discuss")).ToBeHiddenAsync();
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });

        // From the sheet, "Record the discussion".
        await page.GetByTestId("open-sheet-discussion").ClickAsync();
        await Expect(page.GetByTestId("sheet-discussedAt")).Not.ToHaveValueAsync("");
        await sheet.GetByLabel("What did you tell the client?").FillAsync("Read the sheet together; explained why I searched.");
        await sheet.GetByLabel("How did the client respond?").FillAsync("Understood.");
        await page.GetByTestId("sheet-save-discussion").ClickAsync();
        await Expect(page.GetByTestId("detail-status")).ToContainTextAsync("Discussion recorded");
        await Expect(page.GetByTestId("detail-state")).ToHaveTextAsync("Discussed with the client");
        await Expect(page.GetByTestId("detail-body")).ToContainTextAsync("Read the sheet together");

        var detail = await ServerDetailAsync(api, id);
        Assert.Equal("discussed", detail.GetProperty("summary").GetProperty("status").GetString());
        Assert.Equal("Understood.", detail.GetProperty("discussion").GetProperty("clientResponse").GetString());
        Assert.Empty(problems);
    }

    [Fact]
    public async Task List_IsOrderedByNextSessionOverdueFirst_AndFiltersOverdueAwaitingDiscussed()
    {
        var therapist = NewTherapist();
        using var api = host.Api(therapist);
        var later = NewClientRef("LATER");
        var overdue = NewClientRef("OVERDUE");
        var unset = NewClientRef("UNSET");
        var soon = NewClientRef("SOON");
        var done = NewClientRef("DONE");
        await LogThroughApiAsync(api, later, TimeSpan.FromHours(1), TimeSpan.FromDays(3));
        await LogThroughApiAsync(api, unset, TimeSpan.FromMinutes(30), risk: "low");
        await LogThroughApiAsync(api, overdue, TimeSpan.FromHours(6), TimeSpan.FromHours(-2));
        await LogThroughApiAsync(api, soon, TimeSpan.FromHours(2), TimeSpan.FromDays(1));
        var doneId = await LogThroughApiAsync(api, done, TimeSpan.FromHours(4));
        using (var content = new StringContent($$"""{"discussedAt":"{{DateTimeOffset.UtcNow.AddMinutes(-5):O}}","note":"Told them."}""", Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"api/searches/{doneId}/discussion", content)).StatusCode);
        }

        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("4 searches awaiting discussion.");
        var clients = page.GetByTestId("item-client");
        await Expect(clients).ToHaveTextAsync([overdue, soon, later, unset]);
        var first = page.GetByTestId("search-item").First;
        await Expect(first.GetByTestId("item-overdue")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("search-item").Nth(1).GetByTestId("item-overdue")).ToBeHiddenAsync();

        await page.GetByLabel("Show").SelectOptionAsync("overdue");
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("1 search overdue.");
        await Expect(clients).ToHaveTextAsync([overdue]);

        await page.GetByLabel("Show").SelectOptionAsync("discussed");
        await Expect(clients).ToHaveTextAsync([done]);

        await page.GetByLabel("Show").SelectOptionAsync("all");
        await Expect(clients).ToHaveTextAsync([overdue, soon, later, unset, done]);
        await page.GetByLabel("Show").SelectOptionAsync("awaiting-discussion");
        await Expect(clients).ToHaveCountAsync(4);

        // The risk level, asked of the server (GET /api/searches?risk=).
        await page.GetByLabel("Level of risk").SelectOptionAsync("low");
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("1 search awaiting discussion at low risk.");
        await Expect(clients).ToHaveTextAsync([unset]);
        await page.GetByLabel("Level of risk").SelectOptionAsync("high");
        await Expect(clients).ToHaveTextAsync([overdue, soon, later]);
        await page.GetByLabel("Level of risk").SelectOptionAsync("imminent");
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("No searches awaiting discussion at imminent risk.");
        await page.GetByLabel("Level of risk").SelectOptionAsync("");
        await page.Locator("#awaiting").ScrollIntoViewIfNeededAsync();
        await AssertAccessibleAsync(page, "list");
        await DocScreenshotAsync(page, "phone-list.png");
    }
}

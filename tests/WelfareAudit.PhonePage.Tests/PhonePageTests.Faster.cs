using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WelfareAudit.PhonePage.Tests;

/// <summary>Logging faster (counted interactions, one-tap channels, "n minutes ago"), times, drafts and messages.</summary>
public sealed partial class PhonePageTests
{
    /// <summary>Counts what a person does: every tap (click, check, choice in a list) and every field typed into.</summary>
    private sealed class Interactions(IPage page)
    {
        public int Count { get; private set; }

        public async Task TapAsync(ILocator target)
        {
            Count++;
            await target.ClickAsync();
        }

        public async Task TypeAsync(ILocator field, string text)
        {
            Count++;
            await field.FillAsync(text);
        }

        public async Task ChooseAsync(ILocator select, string value)
        {
            Count++;
            await select.SelectOptionAsync(value);
        }

        public ILocator ByTestId(string id) => page.GetByTestId(id);
    }

    [Fact]
    public async Task RequiredOnlyLogging_TakesAtMostTenInteractions()
    {
        var therapist = NewTherapist();
        var clientRef = NewClientRef("FAST");
        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("No searches awaiting discussion.");

        var you = new Interactions(page);
        await you.TypeAsync(page.GetByLabel("Client code"), clientRef);
        await you.TapAsync(you.ByTestId("occurredAt-now"));
        await you.TypeAsync(page.GetByLabel("What danger did you suspect?"), "Spoke of ending things.");
        await you.ChooseAsync(page.GetByLabel("Risk level"), "high");
        await you.TapAsync(you.ByTestId("channel-phone"));
        await you.TapAsync(you.ByTestId("attempt-0-ago-30"));
        await you.TypeAsync(page.GetByLabel("Why was searching necessary"), "No answer by phone.");
        await you.TapAsync(page.GetByLabel("Search engine"));
        await you.TapAsync(you.ByTestId("save-search"));

        await Expect(page.GetByTestId("save-result")).ToContainTextAsync("Search saved");
        output.WriteLine($"Required-only logging: {you.Count} interactions (taps and fields typed).");
        Assert.InRange(you.Count, 1, 10);

        using var api = host.Api(therapist);
        var id = Assert.Single(await ServerItemsAsync(api, "all")).GetProperty("id").GetString()!;
        var entry = (await ServerDetailAsync(api, id)).GetProperty("entry");
        var attempt = Assert.Single(entry.GetProperty("crisis").GetProperty("contactAttempts").EnumerateArray());
        Assert.Equal("phone", attempt.GetProperty("channel").GetString());
        var ago = entry.GetProperty("occurredAt").GetDateTimeOffset() - attempt.GetProperty("at").GetDateTimeOffset();
        Assert.InRange(ago, TimeSpan.FromMinutes(28), TimeSpan.FromMinutes(31));
    }

    [Fact]
    public async Task SearchTime_IsTheTimeOfTheTap_NamesTheTimeZone_AndAClockAheadIsExplained()
    {
        var start = DateTime.UtcNow.AddMinutes(-30);
        await using var context = await host.PhoneAsync(NewTherapist());
        var page = await context.NewPageAsync();
        await PhonePageFixture.InstallPausedClockAsync(page, start);
        await page.GotoAsync("/");

        var field = page.GetByTestId("occurredAt");
        await Expect(field).ToHaveValueAsync("");
        await Expect(page.Locator("label[for=occurredAt]")).ToContainTextAsync("(CET, Europe/Berlin)");
        await Expect(page.Locator("label[for=attempt-1-at]")).ToContainTextAsync("CET");

        // Twenty minutes after the page opened, the therapist taps the field: that is the time.
        await page.Clock.FastForwardAsync("20:00");
        await field.ClickAsync();
        var expected = await page.EvaluateAsync<string>("() => { const d = new Date(); const p = n => String(n).padStart(2, '0'); return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`; }");
        await Expect(field).ToHaveValueAsync(expected);
        Assert.NotEqual(expected, await page.EvaluateAsync<string>(
            "ms => { const d = new Date(ms); const p = n => String(n).padStart(2, '0'); return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`; }",
            new DateTimeOffset(start.AddSeconds(1), TimeSpan.Zero).ToUnixTimeMilliseconds()));

        // The phone's clock runs a day ahead: the server refuses the time, and the page says what to do.
        await page.Clock.FastForwardAsync("24:00:00");
        await page.Clock.ResumeAsync();
        await FillMinimumAsync(page, NewClientRef("SKEW"));
        await page.GetByTestId("save-search").ClickAsync();
        var error = page.Locator("#occurredAt-error");
        await Expect(error).ToContainTextAsync("future");
        await Expect(error).ToContainTextAsync("set its date and time to automatic");
    }

    [Fact]
    public async Task Draft_SurvivesAReloadAndADiscardedTab_IsClearedWhenSent_AndLeavingAsksFirst()
    {
        var therapist = NewTherapist();
        var clientRef = NewClientRef("DRAFT");
        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Client code").FillAsync(clientRef);
        await page.GetByLabel("What danger did you suspect?").FillAsync("Spoke of ending things.");
        await page.GetByTestId("channel-email").ClickAsync();
        Assert.Contains(clientRef, await page.EvaluateAsync<string>("() => localStorage.getItem('welfareaudit.draft.v1')"), StringComparison.Ordinal);

        // Leaving with unsaved changes asks first.
        var asked = new TaskCompletionSource<string>();
        page.Dialog += (_, d) => { asked.TrySetResult(d.Type); _ = d.DismissAsync(); };
        await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
        Assert.Equal("beforeunload", await asked.Task.WaitAsync(TimeSpan.FromSeconds(10)));

        // The phone discarded the tab (the page is gone without a word); a new one has the draft back.
        var again = await context.NewPageAsync();
        await again.GotoAsync("/");
        await Expect(again.GetByLabel("Client code")).ToHaveValueAsync(clientRef);
        await Expect(again.GetByLabel("What danger did you suspect?")).ToHaveValueAsync("Spoke of ending things.");
        await Expect(again.GetByTestId("attempt-0-channel")).ToHaveValueAsync("email");
        await Expect(again.GetByTestId("draft-note")).ToContainTextAsync("Your unfinished entry");

        // An app switch: the page is hidden; a reload after it still has the draft.
        await again.EvaluateAsync("() => { Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }); document.dispatchEvent(new Event('visibilitychange')); }");
        await again.EvaluateAsync("() => { window.onbeforeunload = null; }");
        again.Dialog += (_, d) => _ = d.AcceptAsync();
        await again.ReloadAsync();
        await Expect(again.GetByLabel("Client code")).ToHaveValueAsync(clientRef);

        // Finished and sent: the draft is gone.
        await again.GetByTestId("occurredAt-now").ClickAsync();
        await again.GetByLabel("Risk level").SelectOptionAsync("high");
        await again.GetByTestId("attempt-0-ago-15").ClickAsync();
        await again.GetByLabel("Why was searching necessary").FillAsync("No answer by email.");
        await again.GetByLabel("Search engine").CheckAsync();
        await again.GetByTestId("save-search").ClickAsync();
        await Expect(again.GetByTestId("save-result")).ToContainTextAsync("Search saved");
        Assert.Null(await again.EvaluateAsync<string?>("() => localStorage.getItem('welfareaudit.draft.v1')"));
        await Expect(again.GetByTestId("draft-note")).ToBeHiddenAsync();
        await again.ReloadAsync();
        await Expect(again.GetByLabel("Client code")).ToHaveValueAsync("");
    }

    [Fact]
    public async Task Messages_ServerErrorIsNotAnswering_RequiredIsNotErrorColoured()
    {
        await using var context = await host.PhoneAsync(NewTherapist());
        var page = await context.NewPageAsync();
        await page.RouteAsync("**/api/searches?*", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 500, ContentType = "application/problem+json",
            Body = """{"type":"about:blank","title":"Internal error","status":500,"detail":"Something internal."}""",
        }));
        await page.GotoAsync("/");
        var status = page.GetByTestId("list-status");
        await Expect(status).ToContainTextAsync("The service is not answering.");
        await Expect(status).Not.ToContainTextAsync("connection");
        await Expect(status).Not.ToContainTextAsync("internal");

        await page.GetByTestId("save-search").ClickAsync();
        var colours = await page.EvaluateAsync<string[]>(
            "() => [getComputedStyle(document.querySelector('.req-mark')).color, getComputedStyle(document.querySelector('.field-error')).color]");
        Assert.NotEqual(colours[1], colours[0]);
        // Errors name fields in the page's words.
        await Expect(page.GetByTestId("form-errors")).ToContainTextAsync("What danger did you suspect?");
        await Expect(page.GetByTestId("form-errors")).Not.ToContainTextAsync("crisis.");
    }
}

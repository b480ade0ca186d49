using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WelfareAudit.PhonePage.Tests;

/// <summary>
/// What is overdue, the escalations and the rarity figures, made by time passing on the host's clock (and the
/// page's clock set to match), and the whole supervisor page checked with axe-core at WCAG 2.2 AA.
/// </summary>
public sealed partial class SupervisorPageTests
{
    /// <summary>A therapist whose searches are overdue, escalated and over both rarity limits, 16 days on.</summary>
    private async Task<(string Therapist, Logged Overdue, Logged SameClient, Logged Other)> SeedOversightAsync()
    {
        var therapist = NewId();
        using var therapistApi = host.Api(therapist, Therapist);
        var now = host.Clock.GetUtcNow();
        var client = NewClientRef("RARE");
        var overdue = await LogAsync(therapistApi, client, now.AddHours(-3), nextSessionAt: now.AddDays(1));
        var sameClient = await LogAsync(therapistApi, client, now.AddHours(-2), nextSessionAt: now.AddDays(1));
        var other = await LogAsync(therapistApi, NewClientRef("RARE"), now.AddHours(-1), nextSessionAt: now.AddDays(1));

        // The sessions pass undiscussed; 14 days after them the sweep tells the supervisors.
        host.Clock.Skip(TimeSpan.FromDays(16));
        await host.RunReminderSweepAsync();
        return (therapist, overdue, sameClient, other);
    }

    /// <summary>Opens the page with the browser's clock at the host's time.</summary>
    private async Task<IPage> OpenAtHostTimeAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.Clock.SetFixedTimeAsync(host.Clock.GetUtcNow().UtcDateTime);
        await OpenAsync(page);
        return page;
    }

    [Fact]
    public async Task OverdueEscalationsAndRarity_AfterTheSessionsPass_AreListedAndFlagged()
    {
        var (therapist, overdue, sameClient, other) = await SeedOversightAsync();

        await using var context = await host.BrowserAsync(NewId(), Supervisor);
        var page = await OpenAtHostTimeAsync(context);

        var overdueRow = page.GetByTestId("sv-overdue-item").Filter(new LocatorFilterOptions { HasText = overdue.Reference });
        await Expect(overdueRow).ToHaveCountAsync(1);
        await Expect(overdueRow).ToContainTextAsync(therapist);
        await Expect(overdueRow).ToContainTextAsync("15 days ago");
        await Expect(overdueRow.GetByTestId("sv-flag")).ToHaveTextAsync(["Overdue", "Escalated"]);
        foreach (var search in new[] { sameClient, other })
        {
            await Expect(page.GetByTestId("sv-overdue-item").Filter(new LocatorFilterOptions { HasText = search.Reference })).ToHaveCountAsync(1);
        }
        await Expect(page.GetByTestId("sv-escalation-item").Filter(new LocatorFilterOptions { HasText = overdue.Reference })).ToHaveCountAsync(1);

        var therapistRow = page.GetByTestId("sv-rarity-therapist").Filter(new LocatorFilterOptions { HasText = therapist });
        await Expect(therapistRow).ToContainTextAsync("searches 3");
        await Expect(therapistRow.GetByTestId("sv-flag")).ToHaveTextAsync("Over the limit");
        var clientRows = page.GetByTestId("sv-rarity-client").Filter(new LocatorFilterOptions { HasText = therapist });
        await Expect(clientRows).ToHaveCountAsync(2);
        var twice = clientRows.Filter(new LocatorFilterOptions { HasText = "searches 2" });
        await Expect(twice.GetByTestId("sv-flag")).ToHaveTextAsync("Over the limit");
        await Expect(clientRows.Filter(new LocatorFilterOptions { HasText = "searches 1" }).GetByTestId("sv-flag")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("sv-rarity")).Not.ToContainTextAsync(overdue.ClientRef);   // pseudonyms only
        await Expect(page.GetByTestId("sv-rarity-rule")).ToContainTextAsync("by one therapist in a calendar quarter");

        // The queue's overdue filter finds them too, flagged.
        await page.GetByTestId("sv-filter-overdue").CheckAsync();
        await FilterQueueAsync(page, therapist);
        await Expect(page.GetByTestId("sv-item")).ToHaveCountAsync(3);
        await Expect(Item(page, overdue).GetByTestId("sv-flag")).ToHaveTextAsync(["Discussion overdue", "Escalated"]);

        await ScreenshotAsync(page, "supervisor-summary.png", page.Locator("#supervisor-start > .card").First);
        await ScreenshotAsync(page, "supervisor-overview.png", page.GetByTestId("sv-overdue"));
        await ScreenshotAsync(page, "supervisor-rarity.png", page.GetByTestId("sv-rarity"));
    }

    [Fact]
    public async Task LedgerVerification_ShowsEachTherapistsLedgerVerified()
    {
        var therapist = NewId();
        using var therapistApi = host.Api(therapist, Therapist);
        await LogAsync(therapistApi, NewClientRef("VER"), host.Clock.GetUtcNow().AddHours(-1));

        await using var context = await host.BrowserAsync(NewId(), Supervisor);
        var page = await context.NewPageAsync();
        await OpenAsync(page);

        var ledger = page.Locator($"[data-testid=sv-ledger][data-ledger='{therapist}']");
        await Expect(ledger).ToContainTextAsync("events 1");
        await Expect(ledger.GetByTestId("sv-flag")).ToHaveTextAsync("Verified");
        await Expect(page.GetByTestId("sv-ledgers-status")).ToContainTextAsync("verified");

        await LogAsync(therapistApi, NewClientRef("VER"), host.Clock.GetUtcNow().AddMinutes(-30));
        await page.GetByTestId("sv-verify").ClickAsync();
        await Expect(ledger).ToContainTextAsync("events 2");
        await ScreenshotAsync(page, "supervisor-ledgers.png", page.GetByTestId("sv-ledgers"));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(200)]
    public async Task Accessibility_EverySupervisorView_NoAxeViolationsAtWcag22AA(int textPercent)
    {
        // Every part of the page filled: queue items with the search and the review form open (and an error
        // shown), overdue, escalations, rarity, ledgers, an export's progress and result, and an export's error.
        var (therapist, overdue, _, _) = await SeedOversightAsync();
        var both = NewId();
        await using var context = await host.BrowserAsync(both, BothRoles);
        var page = await OpenAtHostTimeAsync(context);
        var problems = TrackPageProblems(page);
        await Accessibility.SetTextSizeAsync(page, textPercent);

        await FilterQueueAsync(page, therapist);
        var item = Item(page, overdue);
        await item.GetByTestId("sv-open-search").ClickAsync();
        await Expect(item.GetByTestId("sv-search-detail")).ToContainTextAsync("Justification");
        await item.GetByTestId("sv-open-review").ClickAsync();
        await item.GetByTestId("sv-save-review").ClickAsync();
        await Expect(item.GetByTestId("field-error")).ToBeVisibleAsync();

        await ChooseExportAsync(page, "csv", therapist, "", "", withhold: true);
        await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("sv-export-start").ClickAsync());
        await Expect(page.GetByTestId("sv-export-result")).ToContainTextAsync("Exported");
        await ChooseExportAsync(page, "html", therapist, HostDay(), HostDay(-1), withhold: false);
        await page.GetByTestId("sv-export-start").ClickAsync();
        await Expect(page.Locator("#sv-to-error")).ToBeVisibleAsync();

        var violations = await Accessibility.ViolationsAsync(page);
        Assert.True(violations.Count == 0, $"axe-core at {textPercent} % text:\n" + string.Join("\n", violations));

        // At 200 % text nothing needs scrolling sideways (WCAG 1.4.4, 1.4.10).
        var overflow = await Accessibility.HorizontalOverflowAsync(page);
        Assert.True(overflow.Length == 0, $"the page scrolls sideways at {textPercent} % text by {overflow}");
        if (textPercent == 200)
        {
            await ScreenshotAsync(page, "supervisor-200-percent-text.png", page.GetByTestId("sv-queue"), docs: false);
        }
        Assert.Empty(problems);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WelfareAudit.PhonePage.Tests;

/// <summary>Everyone who opens the page: supervisors, users with both roles, signing out, 200 % text at 320 px.</summary>
public sealed partial class PhonePageTests
{
    private const string SignOutHref = "/.auth/logout?post_logout_redirect_uri=/";

    private HttpClient ApiAs(string objectId, params string[] roles)
    {
        var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", PhonePageFixture.Principal(objectId, roles));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    [Fact]
    public async Task Supervisor_GetsTheirStartPage_NotTheLoggingForm_AndSeesWhoIsSignedIn()
    {
        await using var context = await host.PhoneAsync(NewTherapist(), roles: ["Supervisor"]);
        var page = await context.NewPageAsync();
        var problems = TrackPageProblems(page);
        await page.GotoAsync("/");

        await Expect(page.GetByTestId("supervisor-start")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("search-form")).ToBeHiddenAsync();
        await Expect(page.Locator("#awaiting")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Log a search" })).ToBeHiddenAsync();
        var who = page.GetByTestId("signed-in-as");
        await Expect(who).ToContainTextAsync("Signed in as Dr. Test Therapist (supervisor).");
        await Expect(who.GetByTestId("sign-out")).ToHaveAttributeAsync("href", SignOutHref);

        await AssertAccessibleAsync(page, "supervisor start");
        await DocScreenshotAsync(page, "phone-supervisor-start.png");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task BothRoles_SeeWhoseEachSearchIs_AndCanChangeOnlyTheirOwn()
    {
        var other = NewTherapist();
        var me = NewTherapist();
        using var otherApi = ApiAs(other, "Therapist");
        using var myApi = ApiAs(me, "Therapist", "Supervisor");
        var theirs = NewClientRef("THEIRS");
        var mine = NewClientRef("MINE");
        var theirId = await LogThroughApiAsync(otherApi, theirs, TimeSpan.FromHours(1));
        await LogThroughApiAsync(myApi, mine, TimeSpan.FromHours(1));

        await using var context = await host.PhoneAsync(me, roles: ["Therapist", "Supervisor"]);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync("(therapist and supervisor)");
        await Expect(page.GetByTestId("search-form")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("supervisor-start")).ToBeVisibleAsync();

        var theirItem = page.GetByTestId("search-item").Filter(new LocatorFilterOptions { HasText = theirs });
        var myItem = page.GetByTestId("search-item").Filter(new LocatorFilterOptions { HasText = mine });
        await Expect(theirItem.GetByTestId("item-whose")).ToHaveTextAsync($"Another therapist's ({other[..8]}…)");
        await Expect(myItem.GetByTestId("item-whose")).ToHaveTextAsync("Yours");
        await Expect(theirItem.GetByTestId("open-discussion")).ToBeHiddenAsync();
        await Expect(myItem.GetByTestId("open-discussion")).ToBeVisibleAsync();

        // Their search opens read-only: no additions, no discussion from the sheet.
        await theirItem.GetByTestId("open-detail").ClickAsync();
        await Expect(page.GetByTestId("detail-whose")).ToContainTextAsync("Another therapist's");
        await Expect(page.GetByTestId("amend")).ToBeHiddenAsync();
        await page.GetByTestId("open-sheet").ClickAsync();
        await Expect(page.GetByTestId("sheet-body")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("sheet-discuss")).ToBeHiddenAsync();
        Assert.Equal(HttpStatusCode.OK, (await otherApi.GetAsync($"api/searches/{theirId}")).StatusCode);
    }

    [Fact]
    public async Task AxeAndReflowChecks_CanFail_OnAnUnlabelledFieldAndAWideBlock()
    {
        await using var context = await host.PhoneAsync(NewTherapist(), width: 320, height: 640);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.EvaluateAsync("() => { const i = document.createElement('input'); i.type = 'text'; document.querySelector('#log').append(i); }");
        Assert.Contains(await Accessibility.ViolationsAsync(page), v => v.StartsWith("label ", StringComparison.Ordinal));
        await page.EvaluateAsync("() => { const d = document.createElement('div'); d.style.width = '400px'; d.textContent = 'x'; document.querySelector('#log').append(d); }");
        Assert.NotEqual("", await Accessibility.HorizontalOverflowAsync(page));
    }

    [Fact]
    public async Task SignOut_EndsTheSession_AndThePageSaysSignedOut()
    {
        await using var context = await host.PhoneAsync(objectId: null);
        await host.SignInAsync(context, NewTherapist());
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync("Signed in as Dr. Test Therapist.");

        await page.GetByTestId("sign-out").ClickAsync();
        await page.WaitForURLAsync(host.BaseAddress.ToString());
        await Expect(page.GetByTestId("signed-out")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-as")).ToBeHiddenAsync();
        Assert.Contains(host.Authentication.Seen, r => r.Path == AppServiceAuthentication.SignOutPath);
    }

    [Fact]
    public async Task At320PixelsAnd200PercentText_TheFormReflows_AxeFindsNothing_AndTheManifestNeitherLocksOrientationNorLacksAMaskableIcon()
    {
        await using var context = await host.PhoneAsync(NewTherapist(), width: 320, height: 640);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync("No searches awaiting discussion.");
        await page.GetByTestId("more").Locator("summary").ClickAsync();
        await page.GetByTestId("add-attempt").ClickAsync();

        await AssertAccessibleAsync(page, "form at 320 px");
        await page.GetByTestId("save-search").ClickAsync();   // every field error shown: still no sideways scrolling
        await AssertAccessibleAsync(page, "form with errors at 320 px");
        await page.Locator("#log").ScrollIntoViewIfNeededAsync();
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await DocScreenshotAsync(page, "phone-form-320.png");

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var manifest = JsonDocument.Parse(await http.GetStringAsync("/manifest.webmanifest"));
        Assert.False(manifest.RootElement.TryGetProperty("orientation", out _), "the manifest must not lock the orientation (WCAG 1.3.4)");
        var maskable = Assert.Single(manifest.RootElement.GetProperty("icons").EnumerateArray(),
            i => i.GetProperty("purpose").GetString()!.Split(' ').Contains("maskable"));
        var icon = await http.GetAsync("/" + maskable.GetProperty("src").GetString());
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/png", icon.Content.Headers.ContentType?.MediaType);
    }
}

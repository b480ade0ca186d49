using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WelfareAudit.PhonePage.Tests;

/// <summary>The export from the supervisor's page: each format downloaded through the stream, progress, errors, cancel.</summary>
public sealed partial class SupervisorPageTests
{
    /// <summary>The host's UTC day as an &lt;input type="date"&gt; value: the export's range is in UTC days.</summary>
    private string HostDay(int plusDays = 0) =>
        host.Clock.GetUtcNow().UtcDateTime.Date.AddDays(plusDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task ChooseExportAsync(IPage page, string format, string therapist, string from, string to, bool withhold)
    {
        await page.GetByTestId($"sv-format-{format}").CheckAsync();
        await page.GetByTestId("sv-export-therapist").SelectOptionAsync(therapist);
        await page.GetByTestId("sv-from").FillAsync(from);
        await page.GetByTestId("sv-to").FillAsync(to);
        await page.GetByTestId("sv-withhold").SetCheckedAsync(withhold);
    }

    [Fact]
    public async Task Export_EachFormat_StreamsWithProgress_AndDownloadsTheServersFile()
    {
        var therapist = NewId();
        using var therapistApi = host.Api(therapist, Therapist);
        var search = await LogAsync(therapistApi, NewClientRef("EXP"), host.Clock.GetUtcNow().AddHours(-1));

        await using var context = await host.BrowserAsync(NewId(), Supervisor);
        var page = await context.NewPageAsync();
        var problems = TrackPageProblems(page);
        await OpenAsync(page);

        var expectations = new (string Format, string Extension, bool Withhold, Action<string> Check)[]
        {
            ("bundle", ".jsonl", false, text =>
            {
                using var manifest = JsonDocument.Parse(text[..text.IndexOf('\n', StringComparison.Ordinal)]);
                Assert.Equal("manifest", manifest.RootElement.GetProperty("kind").GetString());
                Assert.Equal(therapist, Assert.Single(manifest.RootElement.GetProperty("ledgers").EnumerateArray()).GetProperty("ledgerId").GetString());
                Assert.Contains(search.ClientRef, text, StringComparison.Ordinal);
            }),
            ("csv", ".csv", true, text =>
            {
                Assert.StartsWith("\"reference\"", text.TrimStart('\uFEFF'), StringComparison.Ordinal);
                Assert.Contains(search.Reference, text, StringComparison.Ordinal);
                Assert.DoesNotContain(search.ClientRef, text, StringComparison.Ordinal);   // withheld: a pseudonym instead
            }),
            ("fhir", ".json", false, text =>
            {
                using var bundle = JsonDocument.Parse(text);
                Assert.Equal("Bundle", bundle.RootElement.GetProperty("resourceType").GetString());
            }),
            ("html", ".html", false, text =>
            {
                Assert.Contains("<html", text, StringComparison.OrdinalIgnoreCase);
                Assert.Contains(search.Reference, text, StringComparison.Ordinal);
            }),
        };
        foreach (var (format, extension, withhold, check) in expectations)
        {
            await ChooseExportAsync(page, format, therapist, HostDay(), HostDay(), withhold);
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("sv-export-start").ClickAsync());
            var file = await download.PathAsync();
            Assert.EndsWith(extension, download.SuggestedFilename, StringComparison.Ordinal);
            var text = await File.ReadAllTextAsync(file!);
            check(text);

            var received = new FileInfo(file!).Length;
            await Expect(page.GetByTestId("sv-export-result")).ToContainTextAsync($"Exported {download.SuggestedFilename}");
            await Expect(page.GetByTestId("sv-export-progress")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("sv-export-bar")).ToHaveJSPropertyAsync("position", 1);
            if (format == "bundle")
            {
                // Progress counted the events the manifest announced, line by line as they arrived.
                using var manifest = JsonDocument.Parse(text[..text.IndexOf('\n', StringComparison.Ordinal)]);
                var events = manifest.RootElement.GetProperty("counts").GetProperty("events").GetInt32();
                await Expect(page.GetByTestId("sv-export-received")).ToContainTextAsync($"{events} of {events} events.");
                await ScreenshotAsync(page, "supervisor-export.png", page.GetByTestId("sv-export"));
            }
            else
            {
                await Expect(page.GetByTestId("sv-export-received")).ToContainTextAsync("Received ");
                Assert.True(received > 0);
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Export_RangeEndingBeforeItStarts_ShowsTheServersErrorAtTheField_AndDownloadsNothing()
    {
        var therapist = NewId();
        using var therapistApi = host.Api(therapist, Therapist);
        await LogAsync(therapistApi, NewClientRef("RNG"), host.Clock.GetUtcNow().AddHours(-1));

        await using var context = await host.BrowserAsync(NewId(), Supervisor);
        var page = await context.NewPageAsync();
        var downloads = 0;
        page.Download += (_, _) => Interlocked.Increment(ref downloads);
        await OpenAsync(page);

        await ChooseExportAsync(page, "csv", therapist, HostDay(), HostDay(-1), withhold: false);
        await page.GetByTestId("sv-export-start").ClickAsync();

        var to = page.GetByLabel("To", new PageGetByLabelOptions { Exact = true });
        await Expect(to).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#sv-to-error")).ToContainTextAsync("must not be before from");
        await Expect(page.Locator("#sv-export-errors")).ToBeFocusedAsync();
        await Expect(page.GetByTestId("sv-export-result")).ToContainTextAsync("Not exported: some choices need attention.");
        await Expect(page.GetByTestId("sv-export-progress")).ToBeHiddenAsync();
        Assert.Equal(0, downloads);
    }

    [Fact]
    public async Task Export_OnASlowConnection_ShowsEventsArriving_AndCancelStopsIt_WithoutADownload()
    {
        var therapist = NewId();
        using var therapistApi = host.Api(therapist, Therapist);
        var now = host.Clock.GetUtcNow();
        for (var i = 0; i < 6; i++)
        {
            await LogAsync(therapistApi, NewClientRef("SLOW"), now.AddHours(-6 + i));
        }

        await using var context = await host.BrowserAsync(NewId(), Supervisor);
        var page = await context.NewPageAsync();
        var downloads = 0;
        page.Download += (_, _) => Interlocked.Increment(ref downloads);
        await OpenAsync(page);

        // Chromium's own network throttling (DevTools protocol): the response arrives a little at a time.
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false,
            ["latency"] = 0,
            ["downloadThroughput"] = 1500,
            ["uploadThroughput"] = -1,
        });

        await ChooseExportAsync(page, "bundle", therapist, "", "", withhold: false);
        await page.GetByTestId("sv-export-start").ClickAsync();
        await Expect(page.GetByTestId("sv-export-cancel")).ToBeFocusedAsync();
        await Expect(page.GetByTestId("sv-export-received")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Received .+: \d+ of \d+ events\."));
        var position = await page.GetByTestId("sv-export-bar").EvaluateAsync<double>("p => p.position");
        Assert.InRange(position, 0, 0.999);

        await page.GetByTestId("sv-export-cancel").ClickAsync();
        await Expect(page.GetByTestId("sv-export-result")).ToContainTextAsync("Export cancelled. Nothing was saved.");
        await Expect(page.GetByTestId("sv-export-start")).ToBeEnabledAsync();
        await Expect(page.GetByTestId("sv-export-start")).ToBeFocusedAsync();
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = -1,
        });
        Assert.Equal(0, downloads);
    }
}

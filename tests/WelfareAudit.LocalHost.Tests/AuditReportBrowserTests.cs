using System.Net;
using Microsoft.Playwright;
using WelfareAudit.Core.Identity;

namespace WelfareAudit.LocalHost.Tests;

/// <summary>
/// The HTML report opened in the real headless Chromium of this machine (never a downloaded browser)
/// and printed to PDF, as a board member would.
/// </summary>
[Collection(AuditReportBrowserCollection.Name)]
public class AuditReportBrowserTests(LocalHostFixture host)
{
    internal const string Chromium = "/usr/bin/chromium";

    private static readonly Lazy<Task<IBrowser>> Shared = new(async () =>
    {
        var playwright = await Playwright.CreateAsync();
        // Disposing the driver ends the browser it launched.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => playwright.Dispose();
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    });

    /// <summary>
    /// A fresh context (its own profile) in Debian Chromium, headless: one browser for every browser test of this
    /// assembly, launched on first use and ended with the test process. Its absence fails the test.
    /// </summary>
    internal static async Task<IBrowserContext> NewContextAsync()
    {
        Assert.True(File.Exists(Chromium), $"Chromium is required at {Chromium} (apt-get install -y chromium); the test does not skip.");
        return await (await Shared.Value).NewContextAsync();
    }

    [Fact]
    public async Task ExportAudit_HtmlInHeadlessChromium_SummaryFirstRarityFlaggedAndPrintsToPdf()
    {
        var therapist = Guid.NewGuid().ToString("D");
        using (var own = host.Client(therapist, Role.Therapist))
        {
            // Three searches for one client within a year: more than the policy's "extremely rare" allows.
            foreach (var _ in Enumerable.Range(0, 3))
            {
                Assert.Equal(HttpStatusCode.Created, (await own.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody("C-RARE")))).StatusCode);
            }
        }
        using var supervisor = host.Client(Guid.NewGuid().ToString("D"), Role.Supervisor);
        using var response = await supervisor.GetAsync($"api/audit/export?format=html&therapist={therapist}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("C-RARE", html, StringComparison.Ordinal);
        var file = Path.Combine(Directory.CreateTempSubdirectory("wa-report-").FullName, "report.html");
        await File.WriteAllTextAsync(file, html);

        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(file).AbsoluteUri);

        Assert.Equal("Crisis search audit report", await page.TitleAsync());
        var headings = await page.Locator("h2").AllInnerTextsAsync();
        Assert.Equal(["Summary", "Entries", "Verification"], headings);
        Assert.Equal(3, await page.Locator("article.entry").CountAsync());
        Assert.Equal("3", (await page.Locator("#per-client tbody tr td:nth-child(3)").InnerTextAsync()).Trim());
        Assert.Contains("extremely rare", await page.Locator("#per-client .flag").InnerTextAsync(), StringComparison.Ordinal);

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.Equal("page", await page.EvalOnSelectorAsync<string>("#entries", "e => getComputedStyle(e).breakBefore"));
        var pdf = await page.PdfAsync(new PagePdfOptions { Format = "A4", PrintBackground = true });
        Assert.True(pdf.Length > 2000, $"The PDF has only {pdf.Length} bytes.");
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
    }
}

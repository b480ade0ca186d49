using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Http.Identity;
using WelfareAudit.Testing;

namespace WelfareAudit.LocalHost.Tests;

/// <summary>
/// The client's accounting end to end over real HTTP: a local host of its own (its own table, so a supervisor's
/// accounting covers only this test's ledgers) on the fixture's Azurite, real key file, headless Chromium.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class AccountingApiTests(LocalHostFixture host) : IAsyncLifetime
{
    private const string Route = "api/clients/accounting";
    private readonly string _marker = "Acc" + Guid.NewGuid().ToString("N")[..10];
    private SideHost _side = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _base = new Uri($"http://127.0.0.1:{port}/");
        _side = await host.StartHostAsync($"http://127.0.0.1:{port}", new Dictionary<string, string?>());
    }

    public async Task DisposeAsync() => await _side.DisposeAsync();

    private static string NewId() => Guid.NewGuid().ToString("D");

    private HttpClient Client(string? objectId, params Role[] roles)
    {
        var client = new HttpClient { BaseAddress = _base };
        if (objectId is not null)
        {
            client.DefaultRequestHeaders.Add(ClientPrincipal.HeaderName, ClientPrincipal.Encode(objectId, roles));
        }
        return client;
    }

    private string M(string what) => $"{what}-{_marker}";

    /// <summary>Every text <see cref="LogAsync"/> writes for <paramref name="who"/>.</summary>
    private string[] Texts(string who) =>
        [.. new[] { "danger", "justification", "query", "findings", "actions", "recipient", "disclosed" }.Select(f => M(who + "-" + f))];

    /// <summary>Logs a search whose every text names <paramref name="who"/>, so that any of it can be looked for in the outputs.</summary>
    private async Task<string> LogAsync(HttpClient client, string clientRef, string who)
    {
        var now = DateTimeOffset.UtcNow;
        var body = JsonSerializer.Serialize(new
        {
            clientRef,
            occurredAt = now.AddMinutes(-30),
            crisis = new { dangerSuspected = M(who + "-danger"), riskLevel = "high", contactAttempts = new[] { new { channel = "phone", at = now.AddHours(-2) } } },
            justification = M(who + "-justification"),
            scope = new { sources = new[] { "searchEngine" }, queries = new[] { M(who + "-query") } },
            findings = M(who + "-findings"),
            actionsTaken = M(who + "-actions"),
            thirdPartyContacted = new { recipient = M(who + "-recipient"), disclosed = M(who + "-disclosed") },
            nextSessionAt = now.AddDays(2),
        });
        var response = await client.PostAsync("api/searches", LocalHostFixture.Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    private static Task<HttpResponseMessage> AskAsync(HttpClient client, string clientRef, string format, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = LocalHostFixture.Json(JsonSerializer.Serialize(new { clientRef, format })) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return client.SendAsync(request);
    }

    private async Task<string> PageAsync(HttpClient client, string clientRef)
    {
        using var response = await AskAsync(client, clientRef, "html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<IReadOnlyList<RecordedEvent>> EventsAsync(string ledgerId) =>
        await _side.App.Services.GetRequiredService<ILedger>().ReadAsync(ledgerId, 1, null, CancellationToken.None).ToListAsync();

    /// <summary>The page without the line that says when it was prepared, to compare two answers.</summary>
    private static string Undated(string html) =>
        System.Text.RegularExpressions.Regex.Replace(html, "<p class=\"muted\">Prepared .*?</p>", "", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));

    [Fact]
    public async Task Accounting_RoleMatrix_OwnClientOtherTherapistSupervisorBothRolesNoRoleAnonymous()
    {
        var a = NewId();
        var b = NewId();
        using var therapistA = Client(a, Role.Therapist);
        using var therapistB = Client(b, Role.Therapist);
        var mineId = await LogAsync(therapistA, "C-MINE-" + _marker, "mine");
        await LogAsync(therapistA, "C-OTHER-" + _marker, "other");
        await LogAsync(therapistB, "C-OF-B-" + _marker, "ofb");

        // The client's therapist: this client's searches only, and no internal code on the page.
        var own = await PageAsync(therapistA, "c-mine-" + _marker);
        Assert.Contains(M("mine-justification"), own, StringComparison.Ordinal);
        Assert.Contains(M("mine-recipient"), own, StringComparison.Ordinal);
        Assert.All(Texts("other"), t => Assert.DoesNotContain(t, own, StringComparison.Ordinal));
        Assert.DoesNotContain("C-MINE", own, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(a, own, StringComparison.Ordinal);
        Assert.DoesNotContain(mineId, own, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(mineId[..8], own, StringComparison.OrdinalIgnoreCase);
        var index = ((ClientAccountingProvided)(await EventsAsync(a))[^1].Event).ClientIndex;
        Assert.DoesNotContain(index[(index.IndexOf(':', StringComparison.Ordinal) + 1)..], own, StringComparison.Ordinal);

        // Another therapist's client: the same answer as a code nobody ever used (existence is not revealed).
        var theirs = await PageAsync(therapistB, "C-MINE-" + _marker);
        var nobodys = await PageAsync(therapistB, "C-NOBODY-" + _marker);
        Assert.Contains("No search about you is recorded.", theirs, StringComparison.Ordinal);
        Assert.Equal(Undated(nobodys), Undated(theirs));

        // A supervisor: every ledger. A caller with both roles reads as a supervisor.
        using var supervisor = Client(NewId(), Role.Supervisor);
        var bySupervisor = await PageAsync(supervisor, "C-OF-B-" + _marker);
        Assert.Contains(M("ofb-justification"), bySupervisor, StringComparison.Ordinal);
        using var both = Client(a, Role.Therapist, Role.Supervisor);
        Assert.Contains(M("ofb-justification"), await PageAsync(both, "C-OF-B-" + _marker), StringComparison.Ordinal);

        // No role, no identity.
        using var noRole = Client(NewId());
        using var anonymous = Client(null);
        Assert.Equal(HttpStatusCode.Forbidden, (await AskAsync(noRole, "C-MINE-" + _marker, "html")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AskAsync(anonymous, "C-MINE-" + _marker, "html")).StatusCode);

        // Each request is recorded in each ledger it covered, by blind index only.
        var recorded = (await EventsAsync(b)).Where(e => e.Event is ClientAccountingProvided).Select(e => (ClientAccountingProvided)e.Event).ToList();
        Assert.Equal(4, recorded.Count); // B twice as therapist, then the supervisor and the both-roles caller over every ledger
        Assert.All(recorded, r => Assert.DoesNotContain(_marker, r.ClientIndex, StringComparison.OrdinalIgnoreCase));
        Assert.Equal([0L, 0L, 1L, 1L], recorded.Select(r => r.Count));
    }

    [Fact]
    public async Task Accounting_BundleForOneOfTwoClients_VerifiesDisclosesThatClientOnlyAndIsRecorded()
    {
        var a = NewId();
        using var therapist = Client(a, Role.Therapist);
        await LogAsync(therapist, "C-OTHER-" + _marker, "other");
        var mine = await LogAsync(therapist, "C-MINE-" + _marker, "mine");
        var other = await LogAsync(therapist, "C-OTHER-" + _marker, "other2");
        Assert.Equal(HttpStatusCode.Created, (await therapist.PostAsync($"api/searches/{other}/discussion",
            LocalHostFixture.Json(JsonSerializer.Serialize(new { discussedAt = DateTimeOffset.UtcNow, note = M("other-note"), clientResponse = M("other-response") })))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await therapist.PostAsync($"api/searches/{mine}/discussion",
            LocalHostFixture.Json(JsonSerializer.Serialize(new { discussedAt = DateTimeOffset.UtcNow, note = M("mine-note"), clientResponse = M("mine-response") })))).StatusCode);

        using var response = await AskAsync(therapist, "C-MINE-" + _marker, "bundle");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("client-accounting-", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var bundle = await response.Content.ReadAsByteArrayAsync();
        var page = Encoding.UTF8.GetBytes(await PageAsync(therapist, "C-MINE-" + _marker));

        var key = JsonDocument.Parse(await therapist.GetStringAsync("api/audit/signing-key")).RootElement.GetProperty("publicKey").GetString();
        var verification = await AuditBundleVerifier.VerifyAsync(new MemoryStream(bundle), key, null, CancellationToken.None);
        Assert.True(verification.Ok, verification.Problem?.ToString());
        var text = Encoding.UTF8.GetString(bundle);
        Assert.Contains(M("mine-justification"), text, StringComparison.Ordinal);
        Assert.Contains(M("mine-response"), text, StringComparison.Ordinal);
        Assert.Contains("\"format\":\"welfare-audit-client-accounting\"", text, StringComparison.Ordinal);
        string[] theirs = ["C-OTHER-" + _marker, .. Texts("other"), .. Texts("other2"), M("other-note"), M("other-response")];
        foreach (var output in new[] { bundle, page })
        {
            // Not a byte of the other client: neither the code nor any text of their searches or discussion.
            foreach (var secret in theirs)
            {
                Assert.True(output.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"The other client's '{secret}' is in the output.");
            }
        }

        var events = await EventsAsync(a);
        var provided = events.Where(e => e.Event is ClientAccountingProvided).Select(e => (ClientAccountingProvided)e.Event).ToList();
        Assert.Equal([("bundle", 1L), ("html", 1L)], provided.Select(p => (p.Format, p.Count)));
        Assert.Equal(EventTypes.Checkpoint, events[^3].Header.Type);
    }

    [Fact]
    public async Task Accounting_RetriedWithTheSameIdempotencyKey_RecordedOnce()
    {
        var a = NewId();
        using var therapist = Client(a, Role.Therapist);
        await LogAsync(therapist, "C-MINE-" + _marker, "mine");
        var key = Guid.NewGuid().ToString();

        using var first = await AskAsync(therapist, "C-MINE-" + _marker, "html", key);
        using var second = await AskAsync(therapist, "C-MINE-" + _marker, "html", key);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Single(await EventsAsync(a), e => e.Event is ClientAccountingProvided);
    }

    [Fact]
    public async Task Accounting_PageInHeadlessChromium_ReadablePrintableAndAccessible()
    {
        using var therapist = Client(NewId(), Role.Therapist);
        await LogAsync(therapist, "C-MINE-" + _marker, "mine");
        await LogAsync(therapist, "C-MINE-" + _marker, "mine2");
        var html = await PageAsync(therapist, "C-MINE-" + _marker);
        var file = Path.Combine(Directory.CreateTempSubdirectory("wa-accounting-").FullName, "accounting.html");
        await File.WriteAllTextAsync(file, html);
        var axe = Path.Combine(RepositoryRoot.Path, "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(axe), $"axe-core is required at {axe} (npm install); the test does not skip.");

        await using var context = await AuditReportBrowserTests.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(file).AbsoluteUri);

        Assert.Equal("Searches made about you", await page.TitleAsync());
        Assert.Equal(["In short", "Each search", "Earlier requests for this list", "How long this is kept, and your rights", "What this list covers"], await page.Locator("h2").AllInnerTextsAsync());
        Assert.Equal(2, await page.Locator("article").CountAsync());
        Assert.Contains("2 searches about you are recorded.", await page.Locator("#summary").InnerTextAsync(), StringComparison.Ordinal);

        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = axe });
        var violations = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })).violations.map(v => v.id + ': ' + v.help)");
        Assert.Equal(0, violations.GetArrayLength());

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.Equal("page", await page.EvalOnSelectorAsync<string>("#searches", "e => getComputedStyle(e).breakBefore"));
        var pdf = await page.PdfAsync(new PagePdfOptions { Format = "A4", PrintBackground = true });
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
    }
}

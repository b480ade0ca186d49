using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http.Identity;
using WelfareAudit.LocalHost.Tests.Reminders;
using WelfareAudit.Testing;

namespace WelfareAudit.LocalHost.Tests.Faults;

/// <summary>
/// A storage account someone has written to: the tests change the raw table with Azure.Data.Tables, as
/// an attacker with account access would, and check that every view still answers, names the damaged
/// ledger, and keeps serving the others. Each test has its own host and table, so a damaged ledger
/// never leaks into another test's supervisor views.
/// </summary>
public sealed class TamperedStorageTests : IAsyncLifetime
{
    private readonly string Table = AzuriteFixture.NewTableName("tamper");
    private readonly ConcurrentQueue<(EventId Id, string Text)> _logs = new();
    private AzuriteServer _azurite = null!;
    private WebhookReceiver _webhook = null!;
    private WebApplication _app = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.SharedAsync();
        _webhook = await WebhookReceiver.StartAsync();
        var port = FreePort.Next();
        _app = LocalHostApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["WelfareAudit:Storage:ConnectionString"] = _azurite.ConnectionString,
            ["WelfareAudit:Storage:TableName"] = Table,
            ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(Directory.CreateTempSubdirectory("wa-tamper-").FullName, "keys.json"),
            ["WelfareAudit:LocalHost:RunSchedules"] = "false",
            ["WelfareAudit:Reminders:Webhook:Url"] = _webhook.Url.ToString(),
        }, builder => builder.Logging.AddProvider(new CapturingLoggerProvider(_logs)));
        await _app.StartAsync();
        _base = new Uri($"http://127.0.0.1:{port}/");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _webhook.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private HttpClient Client(string objectId, params Role[] roles)
    {
        var client = new HttpClient { BaseAddress = _base, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add(ClientPrincipal.HeaderName, ClientPrincipal.Encode(objectId, roles));
        return client;
    }

    private TableClient Raw() => new(_azurite.ConnectionString, Table);

    /// <summary>Changes one byte of the key id of a ciphertext of the ledger's first event (its SearchLogged).</summary>
    private async Task ChangeKeyIdAsync(string ledgerId, string property)
    {
        var table = Raw();
        var row = (await table.GetEntityAsync<TableEntity>(ledgerId, "0000000000000000001")).Value;
        await ChangeKeyIdAsync(table, row, property);
        // The search row holds a copy of this envelope for the list (docs/ledger-format.md §2.5): alter the copy too.
        await foreach (var search in table.QueryAsync<TableEntity>(e => e.PartitionKey == ledgerId && e.RowKey.CompareTo("search-") > 0 && e.RowKey.CompareTo("search-~") < 0))
        {
            await ChangeKeyIdAsync(table, search, property);
        }
    }

    private static async Task ChangeKeyIdAsync(TableClient table, TableEntity row, string property)
    {
        var envelope = (byte[])row[property];
        envelope[2] = envelope[2] == (byte)'a' ? (byte)'b' : (byte)'a'; // one byte of the key id
        row[property] = envelope;
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>A therapist with one search whose next session is in 40 minutes (so a reminder is due).</summary>
    private async Task<(string Therapist, string SearchId)> TherapistWithSearchAsync(string clientRef)
    {
        var therapist = Guid.NewGuid().ToString("D");
        using var client = Client(therapist, Role.Therapist);
        var now = DateTimeOffset.UtcNow;
        var body = JsonSerializer.Serialize(new
        {
            clientRef,
            occurredAt = now.AddMinutes(-20),
            crisis = new { dangerSuspected = "Missed a session after a disclosure.", riskLevel = "high", contactAttempts = new[] { new { channel = "phone", at = now.AddHours(-1) } } },
            justification = "No answer by phone.",
            scope = new { sources = new[] { "blog" } },
            nextSessionAt = now.AddMinutes(40),
        });
        var response = await client.PostAsync("api/searches", LocalHostFixture.Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (therapist, (await Json(response)).GetProperty("id").GetString()!);
    }

    private static string Reference(string searchId) => "WA-" + Guid.Parse(searchId).ToString("N")[..8].ToUpperInvariant();

    [Fact]
    public async Task SupervisorViews_EnvelopeKeyIdChangedInOneLedger_ModifiedRowThereAndEveryOtherLedgerServed()
    {
        var (broken, _) = await TherapistWithSearchAsync("C-KEYID-BROKEN");
        var (sound, soundSearch) = await TherapistWithSearchAsync("C-KEYID-SOUND");
        await ChangeKeyIdAsync(broken, "S_clientRef");
        using var supervisor = Client(Guid.NewGuid().ToString("D"), Role.Supervisor);

        var verify = await supervisor.GetAsync("api/ledger/verify");
        var list = await supervisor.GetAsync("api/searches");
        using var export = await supervisor.GetAsync("api/audit/export?format=bundle");

        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var ledgers = (await Json(verify)).GetProperty("ledgers").EnumerateArray().ToDictionary(l => l.GetProperty("id").GetString()!);
        var problem = ledgers[broken].GetProperty("problem");
        Assert.Equal(("ModifiedRow", 1), (problem.GetProperty("kind").GetString(), problem.GetProperty("sequence").GetInt32()));
        Assert.Equal(JsonValueKind.Null, ledgers[sound].GetProperty("problem").ValueKind);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var listed = await Json(list);
        Assert.Contains(soundSearch, listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        var unreadable = Assert.Single(listed.GetProperty("unreadable").EnumerateArray());
        Assert.Equal((broken, 1, "ModifiedRow"), (unreadable.GetProperty("ledger").GetString(), unreadable.GetProperty("sequence").GetInt32(), unreadable.GetProperty("kind").GetString()));

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var pem = (await Json(await supervisor.GetAsync("api/audit/signing-key"))).GetProperty("publicKey").GetString();
        var bundle = await export.Content.ReadAsByteArrayAsync();
        var manifest = JsonDocument.Parse(bundle.AsMemory(0, Array.IndexOf(bundle, (byte)'\n'))).RootElement;
        var excluded = Assert.Single(manifest.GetProperty("excluded").EnumerateArray());
        Assert.Equal((broken, 1, "ModifiedRow"), (excluded.GetProperty("ledgerId").GetString(), excluded.GetProperty("sequence").GetInt32(), excluded.GetProperty("kind").GetString()));
        Assert.Contains(broken, export.Headers.GetValues("X-Excluded-Ledgers").Single(), StringComparison.Ordinal);
        var result = await AuditBundleVerifier.VerifyAsync(new MemoryStream(bundle), pem, null, CancellationToken.None);
        Assert.True(result.Ok, result.Problem?.ToString());
        Assert.Equal([sound], result.Ledgers.Select(l => l.LedgerId));
    }

    [Fact]
    public async Task ReviewQueueAndOversight_EnvelopeKeyIdChangedInOneLedger_NamedUnreadableAndEveryOtherLedgerServed()
    {
        var (broken, _) = await TherapistWithSearchAsync("C-REVIEW-KEYID-BROKEN");
        var (sound, soundSearch) = await TherapistWithSearchAsync("C-REVIEW-KEYID-SOUND");
        await ChangeKeyIdAsync(broken, "S_riskLevel");
        using var supervisor = Client(Guid.NewGuid().ToString("D"), Role.Supervisor);

        var queue = await supervisor.GetAsync("api/reviews");
        var oversight = await supervisor.GetAsync("api/oversight");

        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        var page = await Json(queue);
        Assert.Equal([soundSearch], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        var unreadable = Assert.Single(page.GetProperty("unreadable").EnumerateArray());
        Assert.Equal((broken, 1, "ModifiedRow"), (unreadable.GetProperty("ledger").GetString(), unreadable.GetProperty("sequence").GetInt32(), unreadable.GetProperty("kind").GetString()));
        Assert.Equal(HttpStatusCode.OK, oversight.StatusCode);
        var view = await Json(oversight);
        Assert.Equal(2, view.GetProperty("awaitingReview").GetInt32());
        Assert.Equal([sound], view.GetProperty("rarity").GetProperty("therapists").EnumerateArray().Select(t => t.GetProperty("therapist").GetString()));
        Assert.Equal(broken, Assert.Single(view.GetProperty("unreadable").EnumerateArray()).GetProperty("ledger").GetString());
    }

    [Fact]
    public async Task HeadRowDeleted_LedgerStillVerifiedListedExportedCheckpointedAndReminded()
    {
        var (headless, headlessSearch) = await TherapistWithSearchAsync("C-HEADLESS");
        var (sound, soundSearch) = await TherapistWithSearchAsync("C-WITH-HEAD");
        await Raw().DeleteEntityAsync(headless, "head");
        using var supervisor = Client(Guid.NewGuid().ToString("D"), Role.Supervisor);

        var verify = await Json(await supervisor.GetAsync("api/ledger/verify"));
        var list = await Json(await supervisor.GetAsync("api/searches"));
        using var export = await supervisor.GetAsync("api/audit/export?format=bundle");
        var checkpoint = await Record.ExceptionAsync(() => _app.Services.GetRequiredService<DailyCheckpointJob>().CheckpointAllAsync(CancellationToken.None));
        using var admin = new HttpClient { BaseAddress = _base, Timeout = TimeSpan.FromMinutes(2) };
        var sweep = await admin.PostAsync("admin/functions/ReminderSweep", null);

        var ledgers = verify.GetProperty("ledgers").EnumerateArray().ToDictionary(l => l.GetProperty("id").GetString()!);
        Assert.Equal("MissingHead", ledgers[headless].GetProperty("problem").GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, ledgers[sound].GetProperty("problem").ValueKind);
        Assert.Equal(new[] { headlessSearch, soundSearch }.Order(StringComparer.Ordinal),
            list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Contains(headless, export.Headers.GetValues("X-Excluded-Ledgers").Single(), StringComparison.Ordinal);
        var failure = Assert.IsType<AggregateException>(checkpoint);
        Assert.Equal(headless, Assert.IsType<LedgerTamperedException>(Assert.Single(failure.InnerExceptions)).Verification.LedgerId);
        Assert.Contains(_webhook.Bodies, b => b.Contains(Reference(headlessSearch), StringComparison.Ordinal));
        Assert.Contains(_webhook.Bodies, b => b.Contains(Reference(soundSearch), StringComparison.Ordinal));
        Assert.True((int)sweep.StatusCode < 500, $"the sweep answered {(int)sweep.StatusCode}");
    }

    [Theory]
    [InlineData("head")]
    [InlineData("partition")]
    public async Task RowsRemovedWhileRunning_NextWrite_409LedgerIntegrityProblemAndSuspectedTamperingLogged(string removed)
    {
        var (therapist, searchId) = await TherapistWithSearchAsync("C-REMOVED-" + removed);
        using var client = Client(therapist, Role.Therapist);
        var table = Raw();
        var rows = removed == "head"
            ? [(await table.GetEntityAsync<TableEntity>(therapist, "head")).Value]
            : await table.QueryAsync<TableEntity>(e => e.PartitionKey == therapist).ToListAsync();
        foreach (var row in rows)
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        var logged = await client.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody("C-AFTER-" + removed)));
        var discussed = await client.PostAsync($"api/searches/{searchId}/discussion", LocalHostFixture.Json(JsonSerializer.Serialize(new { discussedAt = DateTimeOffset.UtcNow })));

        Assert.Equal(HttpStatusCode.Conflict, logged.StatusCode);
        Assert.Equal("application/problem+json", logged.Content.Headers.ContentType?.MediaType);
        var problem = await Json(logged);
        Assert.Equal("https://welfareaudit.example/problems/ledger-integrity", problem.GetProperty("type").GetString());
        Assert.DoesNotContain("C-AFTER", problem.ToString(), StringComparison.Ordinal);
        Assert.True((int)discussed.StatusCode is 404 or 409, $"the discussion answered {(int)discussed.StatusCode}");
        Assert.Contains(_logs, l => l.Id.Name == "SuspectedTampering" && l.Text.Contains(therapist, StringComparison.Ordinal));
        Assert.DoesNotContain(_logs, l => l.Text.Contains("C-AFTER", StringComparison.Ordinal) || l.Text.Contains("C-REMOVED", StringComparison.Ordinal));
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<(EventId, string)> records) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(records);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(ConcurrentQueue<(EventId, string)> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            records.Enqueue((eventId, formatter(state, exception) + " | " + exception));
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http.Identity;
using WelfareAudit.Testing;

namespace WelfareAudit.LocalHost.Tests;

/// <summary>
/// No client data in logs or traces: every log record (message, structured state, exception) and every
/// activity (name, tags, events) emitted during an end-to-end run is captured at the most verbose level
/// and searched for the run's client strings.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _records = new();
    private AzuriteServer _azurite = null!;
    private readonly string _table = AzuriteFixture.NewTableName("telemetry");
    private WebApplication _app = null!;
    private ActivityListener _listener = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => _records.Enqueue(string.Join("|", new[] { a.Source.Name, a.OperationName, a.DisplayName, a.StatusDescription ?? "" }
                .Concat(a.TagObjects.Select(t => t.Key + "=" + t.Value))
                .Concat(a.Events.Select(e => e.Name + string.Concat(e.Tags.Select(t => t.Key + "=" + t.Value))))
                .Concat(a.Baggage.Select(b => b.Key + "=" + b.Value)))),
        };
        ActivitySource.AddActivityListener(_listener);
        _azurite = await AzuriteServer.SharedAsync();
        var port = FreePort.Next();
        _app = LocalHostApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["WelfareAudit:Storage:ConnectionString"] = _azurite.ConnectionString,
            ["WelfareAudit:Storage:TableName"] = _table,
            ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(Directory.CreateTempSubdirectory("wa-tel-").FullName, "keys.json"),
            ["WelfareAudit:LocalHost:RunSchedules"] = "false",
            ["Logging:LogLevel:Default"] = "Trace",
        }, builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(new CapturingLoggerProvider(_records));
        });
        await _app.StartAsync();
        _base = new Uri($"http://127.0.0.1:{port}/");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _azurite.DisposeAsync();
        _listener.Dispose();
    }

    [Fact]
    public async Task EndToEndRun_LogsAndTraces_ContainNoClientStrings()
    {
        var marker = "M" + Guid.NewGuid().ToString("N")[..12];
        string S(string what) => $"{what}-{marker}";
        using var client = new HttpClient { BaseAddress = _base };
        client.DefaultRequestHeaders.Add(ClientPrincipal.HeaderName, ClientPrincipal.Encode(Guid.NewGuid().ToString("D"), Role.Therapist));
        var now = DateTimeOffset.UtcNow;
        var body = JsonSerializer.Serialize(new
        {
            clientRef = S("client"),
            occurredAt = now.AddMinutes(-10),
            crisis = new { dangerSuspected = S("danger"), riskLevel = "high", contactAttempts = new[] { new { channel = "phone", at = now.AddHours(-1) } } },
            justification = S("justification"),
            scope = new { sources = new[] { "facebook" }, queries = new[] { S("query") } },
            findings = S("findings"),
            actionsTaken = S("actions"),
            thirdPartyContacted = new { recipient = S("recipient"), disclosed = S("disclosed") },
            nextSessionAt = now.AddMinutes(40),
        });

        var created = await client.PostAsync("api/searches", LocalHostFixture.Json(body));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        await client.GetStringAsync("api/searches");
        await client.GetStringAsync($"api/searches/{id}");
        await client.PostAsync($"api/searches/{id}/amendments", LocalHostFixture.Json(JsonSerializer.Serialize(new { field = "findings", value = S("amended"), reason = S("reason") })));
        await client.PostAsync("api/searches", LocalHostFixture.Json(body.Replace("\"high\"", "\"" + S("badrisk") + "\"", StringComparison.Ordinal)));
        await client.PostAsync("api/searches", LocalHostFixture.Json("{\"clientRef\":\"" + S("malformed")));
        using var admin = new HttpClient { BaseAddress = _base };
        await admin.PostAsync("admin/functions/ReminderSweep", null);
        var discussed = await client.PostAsync($"api/searches/{id}/discussion", LocalHostFixture.Json(JsonSerializer.Serialize(new { discussedAt = DateTimeOffset.UtcNow, note = S("note"), clientResponse = S("response") })));
        await client.GetStringAsync("api/ledger/verify");
        // The client's accounting: the code travels in the body, and neither it nor anything decrypted for the page or
        // the bundle may reach a log or a trace; nor may a refused code.
        var accountings = new List<HttpResponseMessage>();
        foreach (var (code, format) in new[] { (S("client"), "html"), (S("client"), "bundle"), (S("client") + "\u0000", "html"), (S("client"), S("format")) })
        {
            var response = await client.PostAsync("api/clients/accounting", LocalHostFixture.Json(JsonSerializer.Serialize(new { clientRef = code, format })));
            await response.Content.ReadAsByteArrayAsync();
            accountings.Add(response);
        }

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, discussed.StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], accountings.Select(r => r.StatusCode));
        var captured = _records.ToArray();
        Assert.True(captured.Length > 50, $"Only {captured.Length} records were captured: the capture is not working.");
        Assert.Contains(captured, r => r.Contains("Appended sequence", StringComparison.Ordinal));
        Assert.Contains(captured, r => r.Contains("Client accounting", StringComparison.Ordinal) && r.Contains("1 search(es)", StringComparison.Ordinal));
        var leaks = captured.Where(r => r.Contains(marker, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(leaks.Count == 0, "Client strings reached telemetry:\n" + string.Join("\n", leaks.Take(5)));
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> records) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, records);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            records.Enqueue(category + " scope: " + Describe(state));
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            records.Enqueue($"{category} {logLevel} {eventId}: {formatter(state, exception)} | {Describe(state)} | {exception}");

        private static string Describe<TState>(TState state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(", ", pairs.Select(p => p.Key + "=" + p.Value))
            : state?.ToString() ?? "";
    }
}

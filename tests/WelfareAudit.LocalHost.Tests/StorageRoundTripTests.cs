using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http.Identity;
using WelfareAudit.Testing;

namespace WelfareAudit.LocalHost.Tests;

/// <summary>
/// How many storage requests each write makes, counted by a policy on the host's own table client, and
/// the rules that need the stored search (checked inside the append's decision, not by a separate read).
/// </summary>
public sealed class StorageRoundTripTests : IAsyncLifetime
{
    private readonly RequestCounter _counter = new();
    private AzuriteServer _azurite = null!;
    private readonly string _table = AzuriteFixture.NewTableName("roundtrip");
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.SharedAsync();
        var port = FreePort.Next();
        _app = LocalHostApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["WelfareAudit:Storage:ConnectionString"] = _azurite.ConnectionString,
            ["WelfareAudit:Storage:TableName"] = _table,
            ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(Directory.CreateTempSubdirectory("wa-rt-").FullName, "keys.json"),
            ["WelfareAudit:LocalHost:RunSchedules"] = "false",
        }, builder =>
        {
            var options = new TableClientOptions();
            options.AddPolicy(_counter, HttpPipelinePosition.PerCall);
            builder.Services.AddSingleton(new TableServiceClient(_azurite.ConnectionString, options).GetTableClient(_table));
        });
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        _client.DefaultRequestHeaders.Add(ClientPrincipal.HeaderName, ClientPrincipal.Encode(Guid.NewGuid().ToString("D"), Role.Therapist));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private async Task<string> LogAsync()
    {
        var response = await _client.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Writes_SteadyState_OneTransactionPerLogAndOneReadPlusOneTransactionPerFollowUp()
    {
        await LogAsync(); // creates the table and warms the head cache
        _counter.Reset();
        var id = await LogAsync();
        var logRequests = _counter.Total;

        _counter.Reset();
        var discussed = await _client.PostAsync($"api/searches/{id}/discussion", LocalHostFixture.Json(JsonSerializer.Serialize(new { discussedAt = DateTimeOffset.UtcNow })));
        var discussionRequests = _counter.Total;

        Assert.Equal(HttpStatusCode.Created, discussed.StatusCode);
        Assert.Equal(1, logRequests);
        Assert.Equal(2, discussionRequests);
    }

    [Fact]
    public async Task Discussion_BeforeTheSearchHappened_400NamingDiscussedAtAndNothingWritten()
    {
        var id = await LogAsync();
        var before = DateTimeOffset.UtcNow.AddHours(-2); // the valid body's search happened 30 minutes ago

        var response = await _client.PostAsync($"api/searches/{id}/discussion", LocalHostFixture.Json(JsonSerializer.Serialize(new { discussedAt = before })));
        var session = await _client.PutAsync($"api/searches/{id}/next-session", LocalHostFixture.Json(JsonSerializer.Serialize(new { nextSessionAt = before })));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("discussedAt", out _));
        Assert.Equal(HttpStatusCode.BadRequest, session.StatusCode);
        Assert.True(JsonDocument.Parse(await session.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("nextSessionAt", out _));
        var detail = JsonDocument.Parse(await _client.GetStringAsync($"api/searches/{id}")).RootElement;
        Assert.Equal("awaiting-discussion", detail.GetProperty("summary").GetProperty("status").GetString());
        Assert.Equal(1, detail.GetProperty("loggedSequence").GetInt64());
    }

    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Total => Volatile.Read(ref _count);

        public void Reset() => Interlocked.Exchange(ref _count, 0);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}

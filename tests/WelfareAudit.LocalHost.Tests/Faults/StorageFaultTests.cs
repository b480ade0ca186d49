using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http.Identity;
using WelfareAudit.Testing;

namespace WelfareAudit.LocalHost.Tests.Faults;

/// <summary>
/// Storage failing under load, end to end: the local host reaches a real Azurite through a TCP proxy
/// that can cut every connection (an outage) or slow every packet. Azurite itself keeps running, so
/// afterwards the ledger shows exactly what was acknowledged. (Killing Azurite would lose its in-memory
/// data and prove nothing about what the app acknowledged; from the app's side a cut network is the
/// same outage.)
/// </summary>
public sealed class StorageFaultTests : IAsyncLifetime
{
    private AzuriteServer _azurite = null!;
    private readonly string _table = AzuriteFixture.NewTableName("fault");
    private TcpFaultProxy _proxy = null!;
    private WebApplication _app = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.SharedAsync();
        _proxy = TcpFaultProxy.Start(_azurite.Port);
        var port = FreePort.Next();
        var viaProxy = _azurite.ConnectionString.Replace($":{_azurite.Port}/", $":{_proxy.Port}/", StringComparison.Ordinal);
        _app = LocalHostApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["WelfareAudit:Storage:ConnectionString"] = viaProxy,
            ["WelfareAudit:Storage:TableName"] = _table,
            ["WelfareAudit:Storage:OperationTimeout"] = "00:00:03",
            ["WelfareAudit:AzureClientDefaults:Retry:MaxRetries"] = "1",
            ["WelfareAudit:AzureClientDefaults:Retry:Delay"] = "00:00:00.050",
            ["WelfareAudit:AzureClientDefaults:Retry:NetworkTimeout"] = "00:00:02",
            ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(Directory.CreateTempSubdirectory("wa-fault-").FullName, "keys.json"),
            ["WelfareAudit:LocalHost:RunSchedules"] = "false",
            // 80 submissions from one therapist, each retried through the outage: a load test, not a human.
            ["WelfareAudit:RateLimits:Writes:PermitLimit"] = "100000",
        });
        await _app.StartAsync();
        _base = new Uri($"http://127.0.0.1:{port}/");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _proxy.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private HttpClient Phone(string therapist)
    {
        var client = new HttpClient { BaseAddress = _base, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add(ClientPrincipal.HeaderName, ClientPrincipal.Encode(therapist, Role.Therapist));
        return client;
    }

    [Fact]
    public async Task Outage_DuringConcurrentSubmissions_Every201IsStoredOnceAndClientsSaw503NotServerErrors()
    {
        var therapist = Guid.NewGuid().ToString("D");
        using var phone = Phone(therapist);
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var missingRetryAfter = 0;
        var acknowledged = new ConcurrentDictionary<string, string>();
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var clientRefs = Enumerable.Range(0, 16 * 5).Select(i => "FAULT-" + i).ToArray();
        // The outage follows the phones, not the wall clock: it starts once submissions are being stored and ends
        // once a phone has been told 503, however fast or busy the machine (a fixed 2.5 s could miss every request).
        var underWay = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task PhoneAsync(int p)
        {
            for (var n = 0; n < 5; n++)
            {
                var clientRef = clientRefs[(p * 5) + n];
                var body = SearchApiTests.ValidBody(clientRef);
                var key = Guid.NewGuid().ToString();
                while (!done.IsCancellationRequested)
                {
                    HttpResponseMessage response;
                    try
                    {
                        var request = new HttpRequestMessage(HttpMethod.Post, "api/searches") { Content = LocalHostFixture.Json(body) };
                        request.Headers.Add("Idempotency-Key", key);
                        response = await phone.SendAsync(request, done.Token);
                    }
                    catch (HttpRequestException)
                    {
                        continue;
                    }
                    statuses.Add(response.StatusCode);
                    (response.StatusCode == HttpStatusCode.ServiceUnavailable ? refused : underWay).TrySetResult();
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged[clientRef] = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
                        break;
                    }
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null)
                    {
                        Interlocked.Increment(ref missingRetryAfter);
                    }
                    await Task.Delay(100, done.Token);
                }
                await Task.Delay(20, done.Token);
            }
        }

        var phones = Enumerable.Range(0, 16).Select(PhoneAsync).ToArray();
        await underWay.Task.WaitAsync(done.Token);
        _proxy.Cut();
        await refused.Task.WaitAsync(done.Token);
        _proxy.Restore();
        await Task.WhenAll(phones);

        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"unexpected {(int)s}"));
        Assert.Equal(0, missingRetryAfter);
        Assert.Equal(clientRefs.Length, acknowledged.Count);
        // 80 searches: one page of 100 (the list is paged, 50 a page unless asked).
        var items = JsonDocument.Parse(await phone.GetStringAsync("api/searches?pageSize=100")).RootElement.GetProperty("items").EnumerateArray()
            .Select(i => (Id: i.GetProperty("id").GetString()!, ClientRef: i.GetProperty("clientRef").GetString()!)).ToList();
        Assert.Equal(clientRefs.Order(StringComparer.Ordinal), items.Select(i => i.ClientRef).Order(StringComparer.Ordinal));
        Assert.All(acknowledged, a => Assert.Contains((a.Value, a.Key), items));
        var verify = JsonDocument.Parse(await phone.GetStringAsync("api/ledger/verify")).RootElement;
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());
        Assert.Equal(clientRefs.Length, verify.GetProperty("ledgers")[0].GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task SlowStorage_RequestEndsWith503WithinItsTimeout_ThenRecovers()
    {
        using var phone = Phone(Guid.NewGuid().ToString("D"));
        Assert.Equal(HttpStatusCode.Created, (await phone.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody("SLOW-0")))).StatusCode);
        _proxy.Delay = TimeSpan.FromSeconds(10);

        // The phone's own 30 s timeout would throw if the request hung; it must end, as 503, long before.
        var slow = await phone.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody("SLOW-1")));
        _proxy.Delay = TimeSpan.Zero;
        var recovered = await phone.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody("SLOW-2")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, slow.StatusCode);
        Assert.NotNull(slow.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Created, recovered.StatusCode);
        var verify = JsonDocument.Parse(await phone.GetStringAsync("api/ledger/verify")).RootElement;
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());
    }
}

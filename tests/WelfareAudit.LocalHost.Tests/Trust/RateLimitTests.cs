using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WelfareAudit.Core.Identity;
using WelfareAudit.Testing;

namespace WelfareAudit.LocalHost.Tests.Trust;

/// <summary>
/// Per-caller budgets for writes and exports (<c>WelfareAudit:RateLimits</c>), on a host configured with
/// small ones: the caller over a budget gets 429 with Retry-After and a problem; other callers, the other
/// budget and reads go on. The window is an hour, so nothing here depends on how fast the machine is.
/// </summary>
[Collection(LocalHostCollection.Name)]
public class RateLimitTests(LocalHostFixture host)
{
    private const int Writes = 3;
    private const int Exports = 2;

    private async Task<(SideHost Host, Uri Base)> StartAsync(IDictionary<string, string?>? more = null)
    {
        var port = FreePort.Next();
        var settings = new Dictionary<string, string?>
        {
            ["WelfareAudit:RateLimits:Writes:PermitLimit"] = Writes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WelfareAudit:RateLimits:Writes:Window"] = "01:00:00",
            ["WelfareAudit:RateLimits:Exports:PermitLimit"] = Exports.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WelfareAudit:RateLimits:Exports:Window"] = "01:00:00",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return (await host.StartHostAsync($"http://127.0.0.1:{port}", settings), new Uri($"http://127.0.0.1:{port}/"));
    }

    private static HttpClient Client(Uri baseAddress, string objectId, params Role[] roles)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Add(WelfareAudit.Http.Identity.ClientPrincipal.HeaderName, WelfareAudit.Http.Identity.ClientPrincipal.Encode(objectId, roles));
        return client;
    }

    private static async Task<string> LogAsync(HttpClient client)
    {
        using var response = await client.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Logs as many searches as the write budget allows, sees the next one refused; returns the first search's id.</summary>
    private static async Task<string> SpendWritesAsync(HttpClient client)
    {
        var first = await LogAsync(client);
        foreach (var _ in Enumerable.Range(1, Writes - 1))
        {
            await LogAsync(client);
        }
        await AssertTooManyRequests(await client.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody())), "writes");
        return first;
    }

    private static async Task AssertTooManyRequests(HttpResponseMessage response, string budget)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Contains(budget, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_OverTheBudget_429WithRetryAfterAndProblem_EveryWriteRouteSharesIt()
    {
        var (side, baseAddress) = await StartAsync();
        await using var _ = side;
        using var therapist = Client(baseAddress, Guid.NewGuid().ToString("D"), Role.Therapist);
        var id = await SpendWritesAsync(therapist);

        await AssertTooManyRequests(await therapist.PutAsync($"api/searches/{id}/next-session", LocalHostFixture.Json("""{"nextSessionAt":null}""")), "writes");
        await AssertTooManyRequests(await therapist.PostAsync($"api/searches/{id}/discussion", LocalHostFixture.Json("""{"discussedAt":"2026-01-01T00:00:00Z"}""")), "writes");
        await AssertTooManyRequests(await therapist.PostAsync($"api/searches/{id}/amendments", LocalHostFixture.Json("""{"field":"findings","value":"x","reason":"y"}""")), "writes");
        var items = JsonDocument.Parse(await therapist.GetStringAsync("api/searches")).RootElement.GetProperty("items");
        Assert.Equal(Writes, items.GetArrayLength());
    }

    [Fact]
    public async Task Writes_OneCallerOverTheBudget_AnotherCallerUnaffected()
    {
        var (side, baseAddress) = await StartAsync();
        await using var _ = side;
        using var first = Client(baseAddress, Guid.NewGuid().ToString("D"), Role.Therapist);
        using var second = Client(baseAddress, Guid.NewGuid().ToString("D"), Role.Therapist);
        await SpendWritesAsync(first);

        foreach (var _n in Enumerable.Range(0, Writes))
        {
            await LogAsync(second);
        }
    }

    [Fact]
    public async Task Reads_NotLimited_WhileTheWriteBudgetIsSpent()
    {
        var (side, baseAddress) = await StartAsync();
        await using var _ = side;
        using var therapist = Client(baseAddress, Guid.NewGuid().ToString("D"), Role.Therapist);
        var id = await SpendWritesAsync(therapist);

        foreach (var _n in Enumerable.Range(0, 3 * Writes))
        {
            Assert.Equal(HttpStatusCode.OK, (await therapist.GetAsync("api/searches")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await therapist.GetAsync($"api/searches/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await therapist.GetAsync("api/ledger/verify")).StatusCode);
        }
    }

    [Fact]
    public async Task Exports_OwnBudget_SeparateFromWrites()
    {
        var (side, baseAddress) = await StartAsync();
        await using var _ = side;
        using var both = Client(baseAddress, Guid.NewGuid().ToString("D"), Role.Therapist, Role.Supervisor);
        foreach (var _n in Enumerable.Range(0, Exports))
        {
            Assert.Equal(HttpStatusCode.OK, (await both.GetAsync("api/audit/export?format=csv")).StatusCode);
        }

        await AssertTooManyRequests(await both.GetAsync("api/audit/export?format=csv"), "exports");
        Assert.Equal(HttpStatusCode.OK, (await both.GetAsync("api/audit/signing-key")).StatusCode);
        await SpendWritesAsync(both);
    }

    [Fact]
    public async Task ClientAccounting_SpendsTheExportsBudget_SharedWithTheExport()
    {
        var (side, baseAddress) = await StartAsync();
        await using var _ = side;
        using var both = Client(baseAddress, Guid.NewGuid().ToString("D"), Role.Therapist, Role.Supervisor);
        using var accounting = new StringContent("{\"clientRef\":\"C-1\",\"format\":\"html\"}", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await both.PostAsync("api/clients/accounting", accounting)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await both.GetAsync("api/audit/export?format=csv")).StatusCode);

        await AssertTooManyRequests(await both.PostAsync("api/clients/accounting", accounting), "exports");
        await SpendWritesAsync(both);
    }

    [Theory]
    [InlineData("WelfareAudit:RateLimits:Writes:PermitLimit", "0")]
    [InlineData("WelfareAudit:RateLimits:Exports:Window", "00:00:00")]
    public async Task BadLimit_HostRefusesToStart_NamingTheSetting(string setting, string value)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new Dictionary<string, string?> { [setting] = value }));

        var member = setting["WelfareAudit:RateLimits:".Length..].Replace(':', '.');
        Assert.Contains(member, failure.Message, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text.Json;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http.Identity;
using WelfareAudit.Testing;

namespace WelfareAudit.LocalHost.Tests.Trust;

/// <summary>
/// DNS rebinding and cross-site requests against the local host: a web page on any site can make the
/// browser connect to 127.0.0.1 (rebinding its own name, or posting a form), so a loopback socket alone
/// must not be trusted. Loopback trust needs a loopback Host as well, and browser requests that act as the
/// caller must be same-origin; everything else is a 403 problem that says why.
/// </summary>
[Collection(LocalHostCollection.Name)]
public class LoopbackTrustTests(LocalHostFixture host)
{
    private static string NewId() => Guid.NewGuid().ToString("D");

    private string Port => host.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<JsonElement> AssertForbiddenProblem(HttpResponseMessage response, string mentions)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        Assert.Contains(mentions, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return problem;
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string? hostHeader = null, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(ClientPrincipal.HeaderName, ClientPrincipal.Encode(NewId(), Role.Therapist));
        if (hostHeader is not null)
        {
            request.Headers.Host = hostHeader;
        }
        if (body is not null)
        {
            request.Content = LocalHostFixture.Json(body);
        }
        return request;
    }

    /// <summary>The headers a browser adds on its own; a page's script cannot set or change them.</summary>
    private static void Browser(HttpRequestMessage request, string? origin, string? fetchSite)
    {
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }
    }

    [Theory]
    [InlineData("GET", "api/searches")]
    [InlineData("POST", "api/searches")]
    [InlineData("GET", "api/ledger/verify")]
    public async Task ForeignHostHeader_LoopbackSocket_403Problem(string method, string path)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = Request(new HttpMethod(method), path, $"rebound.attacker.example:{Port}", method == "POST" ? SearchApiTests.ValidBody() : null);

        using var response = await client.SendAsync(request);

        await AssertForbiddenProblem(response, "Host");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task LoopbackHostHeader_WithThePort_Accepted(string name)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = Request(HttpMethod.Get, "api/searches", $"{name}:{Port}");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1")] // no port: not the address this host listens on
    [InlineData("127.0.0.1:1")]
    [InlineData("localhost.attacker.example")]
    [InlineData("127.0.0.1.nip.io")]
    public async Task LoopbackLookalikeHost_OrOtherPort_403(string hostHeader)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = Request(HttpMethod.Get, "api/searches", hostHeader);

        using var response = await client.SendAsync(request);

        await AssertForbiddenProblem(response, "Host");
    }

    [Theory]
    [InlineData("http://attacker.example", null)]
    [InlineData("null", null)]
    [InlineData("http://localhost:1", null)]
    [InlineData(null, "cross-site")]
    [InlineData(null, "same-site")]
    [InlineData("http://attacker.example", "cross-site")]
    public async Task CrossSiteBrowserWrite_403Problem_NothingLogged(string? origin, string? fetchSite)
    {
        var therapist = NewId();
        using var client = host.Client(therapist, Role.Therapist);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/searches") { Content = LocalHostFixture.Json(SearchApiTests.ValidBody()) };
        Browser(request, origin, fetchSite);

        using var response = await client.SendAsync(request);

        await AssertForbiddenProblem(response, "same-origin");
        var items = JsonDocument.Parse(await client.GetStringAsync("api/searches")).RootElement.GetProperty("items");
        Assert.Equal(0, items.GetArrayLength());
    }

    [Fact]
    public async Task CrossSiteExport_403Problem()
    {
        using var supervisor = host.Client(NewId(), Role.Supervisor);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/audit/export?format=csv");
        Browser(request, null, "cross-site");

        using var response = await supervisor.SendAsync(request);

        await AssertForbiddenProblem(response, "same-origin");
    }

    [Theory]
    [InlineData(true, "same-origin")]
    [InlineData(true, null)]
    [InlineData(false, "same-origin")]
    [InlineData(false, "none")]
    public async Task SameOriginBrowserWrite_Accepted(bool sendOrigin, string? fetchSite)
    {
        using var client = host.Client(NewId(), Role.Therapist);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/searches") { Content = LocalHostFixture.Json(SearchApiTests.ValidBody()) };
        Browser(request, sendOrigin ? host.BaseAddress.GetLeftPart(UriPartial.Authority) : null, fetchSite);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task AdminApi_ForeignHostHeader_403Problem()
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/functions/DailyCheckpoint");
        request.Headers.Host = $"rebound.attacker.example:{Port}";

        using var response = await client.SendAsync(request);

        await AssertForbiddenProblem(response, "Host");
    }

    [Theory]
    [InlineData("http://attacker.example", null)]
    [InlineData(null, "cross-site")]
    public async Task AdminApi_CrossSiteBrowserPost_403Problem(string? origin, string? fetchSite)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/functions/DailyCheckpoint");
        Browser(request, origin, fetchSite);

        using var response = await client.SendAsync(request);

        await AssertForbiddenProblem(response, "same-origin");
    }

    [Fact]
    public async Task DevIdentity_ForeignHostHeader_NotGranted403_LoopbackHostGranted()
    {
        var port = FreePort.Next();
        await using var dev = await host.StartHostAsync($"http://127.0.0.1:{port}", new Dictionary<string, string?>
        {
            ["WelfareAudit:LocalHost:DevIdentity"] = "supervisor",
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        using var rebound = new HttpRequestMessage(HttpMethod.Get, "api/audit/export?format=csv");
        rebound.Headers.Host = $"rebound.attacker.example:{port}";
        using var refused = await client.SendAsync(rebound);
        await AssertForbiddenProblem(refused, "Host");

        using var posted = new HttpRequestMessage(HttpMethod.Post, "api/searches") { Content = LocalHostFixture.Json(SearchApiTests.ValidBody()) };
        posted.Headers.Add("Origin", "http://attacker.example");
        using var crossSite = await client.SendAsync(posted);
        await AssertForbiddenProblem(crossSite, "same-origin");

        using var own = await client.GetAsync("api/searches");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task DevIdentity_AuthMe_AnswersItAsThePlatformDoes_OnlyForTheLoopbackHost()
    {
        var port = FreePort.Next();
        await using var dev = await host.StartHostAsync($"http://127.0.0.1:{port}", new Dictionary<string, string?>
        {
            ["WelfareAudit:LocalHost:DevIdentity"] = "supervisor",
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        using var me = await client.GetAsync(".auth/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        using var doc = JsonDocument.Parse(await me.Content.ReadAsStringAsync());
        var claims = doc.RootElement[0].GetProperty("user_claims").EnumerateArray()
            .Select(c => (c.GetProperty("typ").GetString(), c.GetProperty("val").GetString())).ToArray();
        Assert.Contains(("roles", "Therapist"), claims);
        Assert.Contains(("roles", "Supervisor"), claims);
        Assert.Contains((ClientPrincipal.ObjectIdClaim, "00000000-0000-4000-8000-00000000d3e1"), claims);

        using var rebound = new HttpRequestMessage(HttpMethod.Get, ".auth/me");
        rebound.Headers.Host = $"rebound.attacker.example:{port}";
        using var refused = await client.SendAsync(rebound);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
    }
}

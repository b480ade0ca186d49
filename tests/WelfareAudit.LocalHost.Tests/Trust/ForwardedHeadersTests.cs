using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http.Identity;
using WelfareAudit.Testing;

namespace WelfareAudit.LocalHost.Tests.Trust;

/// <summary>
/// A remote caller claiming to be loopback. The local host runs with <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>
/// (which makes ASP.NET Core believe X-Forwarded-For from anyone) and a development identity, bound to
/// 0.0.0.0, and is called over this machine's non-loopback address: the socket is remote, the headers say
/// loopback. Trust must follow the socket, in both directions.
/// </summary>
[Collection(LocalHostCollection.Name)]
public class ForwardedHeadersTests(LocalHostFixture host)
{
    /// <summary>A non-loopback IPv4 address of this machine (`hostname -I`); without one the test cannot be run, so it fails.</summary>
    private static IPAddress NonLoopbackAddress()
    {
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Assert.True(address is not null, "This machine has no non-loopback IPv4 address to call the host from.");
        return address!;
    }

    private async Task<(SideHost Host, int Port)> StartAsync(bool devIdentity)
    {
        var port = FreePort.Next();
        var settings = new Dictionary<string, string?> { ["ForwardedHeaders_Enabled"] = "true" };
        if (devIdentity)
        {
            settings["WelfareAudit:LocalHost:DevIdentity"] = "supervisor";
        }
        return (await host.StartHostAsync($"http://0.0.0.0:{port}", settings), port);
    }

    private static HttpRequestMessage Spoofed(HttpMethod method, string path, int port)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = $"127.0.0.1:{port}";
        request.Headers.Add("X-Forwarded-For", "127.0.0.1");
        request.Headers.Add("X-Forwarded-Proto", "http");
        return request;
    }

    [Fact]
    public async Task ForwardedForLoopback_FromRemoteSocket_DevIdentityNotGranted401()
    {
        var (side, port) = await StartAsync(devIdentity: true);
        await using var _ = side;
        using var client = new HttpClient { BaseAddress = new Uri($"http://{NonLoopbackAddress()}:{port}/") };

        using var response = await client.SendAsync(Spoofed(HttpMethod.Get, "api/audit/export?format=csv", port));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ForwardedForLoopback_FromRemoteSocket_PrincipalHeaderNotBelieved401()
    {
        var (side, port) = await StartAsync(devIdentity: false);
        await using var _ = side;
        using var client = new HttpClient { BaseAddress = new Uri($"http://{NonLoopbackAddress()}:{port}/") };
        using var request = Spoofed(HttpMethod.Post, "api/searches", port);
        request.Headers.Add(ClientPrincipal.HeaderName, ClientPrincipal.Encode(Guid.NewGuid().ToString("D"), Role.Therapist));
        request.Content = LocalHostFixture.Json(SearchApiTests.ValidBody());

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ForwardedForLoopback_FromRemoteSocket_AdminApi403()
    {
        var (side, port) = await StartAsync(devIdentity: false);
        await using var _ = side;
        using var client = new HttpClient { BaseAddress = new Uri($"http://{NonLoopbackAddress()}:{port}/") };

        using var response = await client.SendAsync(Spoofed(HttpMethod.Post, "admin/functions/DailyCheckpoint", port));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ForwardedForRemote_FromLoopbackSocket_HeaderIgnoredTrusted()
    {
        var (side, port) = await StartAsync(devIdentity: true);
        await using var _ = side;
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/searches");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

using System.Net.Http.Headers;
using System.Text;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http.Identity;
using WelfareAudit.LocalHost;
using Microsoft.AspNetCore.Builder;
using WelfareAudit.Testing;

namespace WelfareAudit.LocalHost.Tests;

/// <summary>
/// The local host on a free loopback port over real HTTP, against a table of its own on the test process's
/// real Azurite (<see cref="AzuriteServer.SharedAsync"/>) and a fresh local key file. Other test projects (the phone page) use it too.
/// </summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public AzuriteServer Azurite { get; private set; } = null!;

    /// <summary>The host's table on the test process's shared Azurite (no other test uses it).</summary>
    public string TableName { get; } = AzuriteFixture.NewTableName("host");

    public Uri BaseAddress { get; private set; } = null!;

    public WebApplication App => _app!;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.SharedAsync();
        var keyFile = Path.Combine(Directory.CreateTempSubdirectory("wa-host-").FullName, "keys.json");
        var port = FreePort.Next();
        _app = LocalHostApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["WelfareAudit:Storage:ConnectionString"] = Azurite.ConnectionString,
            ["WelfareAudit:Storage:TableName"] = TableName,
            ["WelfareAudit:Keys:LocalKeyFile"] = keyFile,
            // The hostile corpus alone sends hundreds of writes as one therapist; rate limits have their own tests.
            ["WelfareAudit:RateLimits:Writes:PermitLimit"] = "100000",
            ["WelfareAudit:RateLimits:Exports:PermitLimit"] = "100000",
        });
        await _app.StartAsync();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await Azurite.DisposeAsync();
    }

    /// <summary>
    /// A second local host on the fixture's Azurite (its own table and key file), for settings the shared
    /// host must not have: a development identity, small rate limits, another binding. Caller disposes.
    /// </summary>
    public async Task<SideHost> StartHostAsync(string url, IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["urls"] = url,
            ["WelfareAudit:Storage:ConnectionString"] = Azurite.ConnectionString,
            ["WelfareAudit:Storage:TableName"] = "side" + Guid.NewGuid().ToString("N")[..12],
            ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(Directory.CreateTempSubdirectory("wa-side-").FullName, "keys.json"),
            ["WelfareAudit:LocalHost:RunSchedules"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        var app = LocalHostApp.Build([], all);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new SideHost(app);
    }

    public HttpClient Client(string? objectId, params Role[] roles)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (objectId is not null)
        {
            client.DefaultRequestHeaders.Add(ClientPrincipal.HeaderName, ClientPrincipal.Encode(objectId, roles));
        }
        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
}

/// <summary>A started local host that stops when disposed.</summary>
public sealed class SideHost(WebApplication app) : IAsyncDisposable
{
    public WebApplication App => app;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class LocalHostCollection : ICollectionFixture<LocalHostFixture>
{
    public const string Name = "LocalHost";
}

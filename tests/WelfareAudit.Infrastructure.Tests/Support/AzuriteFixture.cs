using Azure.Data.Tables;
using WelfareAudit.Testing;

namespace WelfareAudit.Infrastructure.Tests.Support;

/// <summary>One real Azurite for the storage tests of this assembly; each test gets its own table.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? _server;

    public AzuriteServer Server => _server ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync() => _server = await AzuriteServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public TableClient NewTable() => new(Server.ConnectionString, "t" + Guid.NewGuid().ToString("N")[..20]);
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

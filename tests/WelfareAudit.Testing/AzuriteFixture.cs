using Azure.Data.Tables;
using Xunit;

namespace WelfareAudit.Testing;

/// <summary>
/// One real Azurite shared by the storage tests of a test assembly; each test takes its own table. A test
/// assembly shares it through a collection of its own (xunit finds collection definitions only in the test
/// assembly): <c>[CollectionDefinition(AzuriteFixture.Collection)] class AzuriteCollection : ICollectionFixture&lt;AzuriteFixture&gt;</c>.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Collection = "Azurite";

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

    /// <summary>A table name no other test uses (3-63 letters and digits, starting with a letter).</summary>
    public static string NewTableName(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..20];

    /// <summary>A client for a fresh table of this Azurite (created by the code under test, or by the caller).</summary>
    public TableClient NewTable() => new(Server.ConnectionString, NewTableName());
}

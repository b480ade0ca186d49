using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Xunit;

namespace WelfareAudit.Testing;

/// <summary>
/// One real Azurite shared by the storage tests of a test process, its table and blob services (two
/// processes of the same package, each on a free loopback port: <see cref="AzuriteServer.SharedAsync"/>); each test
/// takes its own table or container. A test
/// assembly shares it through a collection of its own (xunit finds collection definitions only in the test
/// assembly): <c>[CollectionDefinition(AzuriteFixture.Collection)] class AzuriteCollection : ICollectionFixture&lt;AzuriteFixture&gt;</c>.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Collection = "Azurite";

    private AzuriteServer? _server;
    private AzuriteServer? _blobs;

    public AzuriteServer Server => _server ?? throw new InvalidOperationException("Azurite has not started.");

    /// <summary>The blob service (anchored checkpoints).</summary>
    public AzuriteServer Blobs => _blobs ?? throw new InvalidOperationException("Azurite's blob service has not started.");

    public async Task InitializeAsync()
    {
        var table = AzuriteServer.SharedAsync();
        var blobs = AzuriteServer.SharedBlobAsync();
        try
        {
            _server = await table;
        }
        finally
        {
            _blobs = await blobs;
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        if (_blobs is not null)
        {
            await _blobs.DisposeAsync();
        }
    }

    /// <summary>A container name no other test uses (3-63 lower-case letters and digits).</summary>
    public static string NewContainerName(string prefix = "c") => prefix + Guid.NewGuid().ToString("N")[..20];

    /// <summary>A client for a fresh container of this Azurite's blob service (not created yet).</summary>
    public BlobContainerClient NewContainer() => new(Blobs.ConnectionString, NewContainerName());

    /// <summary>A table name no other test uses (3-63 letters and digits, starting with a letter).</summary>
    public static string NewTableName(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..20];

    /// <summary>A client for a fresh table of this Azurite (created by the code under test, or by the caller).</summary>
    public TableClient NewTable() => new(Server.ConnectionString, NewTableName());
}

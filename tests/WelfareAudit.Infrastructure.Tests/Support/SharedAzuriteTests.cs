using Azure.Data.Tables;
using WelfareAudit.Testing;

namespace WelfareAudit.Infrastructure.Tests.Support;

/// <summary>
/// The test process's shared Azurite: one server for every caller, which a caller's dispose leaves running and
/// which refuses to be stopped (a fault test that must stop the emulator starts its own).
/// </summary>
public sealed class SharedAzuriteTests
{
    [Fact]
    public async Task Shared_DisposedByACaller_StillServesTheNext_AndCannotBeStopped()
    {
        var first = await AzuriteServer.SharedAsync();
        await first.DisposeAsync();
        var second = await AzuriteServer.SharedAsync();

        Assert.Same(first, second);
        Assert.True(second.IsShared);
        Assert.True(second.IsRunning);
        var table = new TableClient(second.ConnectionString, AzuriteFixture.NewTableName("shared"));
        await table.CreateAsync();
        await table.AddEntityAsync(new TableEntity("p", "r"));
        Assert.Equal("r", (await table.GetEntityAsync<TableEntity>("p", "r")).Value.RowKey);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(second.StopAsync);
        Assert.Contains("start an Azurite of your own", refused.Message, StringComparison.Ordinal);
        Assert.True(second.IsRunning);
    }

    [Fact]
    public async Task Own_IsNotTheShared_AndStopsWhenDisposed()
    {
        var own = await AzuriteServer.StartAsync();
        Assert.False(own.IsShared);
        Assert.NotEqual((await AzuriteServer.SharedAsync()).Port, own.Port);

        await own.DisposeAsync();

        Assert.False(own.IsRunning);
    }
}

using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Infrastructure.Tests.Support;
using WelfareAudit.Testing;

namespace WelfareAudit.Infrastructure.Tests.Storage;

/// <summary>Job claims (the supervisors' digest markers) on Azurite: one holder at a time, expiry, release, and never a ledger.</summary>
[Collection(AzuriteCollection.Name)]
public class TableJobClaimsTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task TryClaimAsync_OneHolderUntilExpiryOrRelease_AndThePartitionIsNoLedger()
    {
        var table = azurite.NewTable();
        var ledger = new TableLedger(table, TestKeyRing.Create(), _time, new LedgerOptions(), NullLogger<TableLedger>.Instance);
        await ledger.AppendAsync("practice", "system", null, _ => new KeyRotated("data", "k"), CancellationToken.None);

        var first = await ledger.TryClaimAsync("supervisorDigest20261202email", "h1", TimeSpan.FromDays(3), CancellationToken.None);
        var second = await ledger.TryClaimAsync("supervisorDigest20261202email", "h2", TimeSpan.FromDays(3), CancellationToken.None);
        var otherDay = await ledger.TryClaimAsync("supervisorDigest20261203email", "h2", TimeSpan.FromDays(3), CancellationToken.None);
        await ledger.ReleaseAsync("supervisorDigest20261202email", "h2", CancellationToken.None); // not the holder: nothing
        var stillHeld = await ledger.TryClaimAsync("supervisorDigest20261202email", "h3", TimeSpan.FromDays(3), CancellationToken.None);
        await ledger.ReleaseAsync("supervisorDigest20261202email", "h1", CancellationToken.None);
        var afterRelease = await ledger.TryClaimAsync("supervisorDigest20261202email", "h3", TimeSpan.FromMinutes(5), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(6));
        var afterExpiry = await ledger.TryClaimAsync("supervisorDigest20261202email", "h4", TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.Equal((true, false, true, false, true, true), (first, second, otherDay, stillHeld, afterRelease, afterExpiry));
        Assert.Equal(["practice"], await ledger.ListLedgersAsync(CancellationToken.None).ToListAsync());
        var rows = await table.QueryAsync<TableEntity>(e => e.PartitionKey == RowKeys.JobsPartition).ToListAsync();
        Assert.Equal(["lease-supervisorDigest20261202email", "lease-supervisorDigest20261203email"], rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
    }
}

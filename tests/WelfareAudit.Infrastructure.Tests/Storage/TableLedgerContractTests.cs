using Microsoft.Extensions.Logging.Abstractions;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Infrastructure.Tests.Support;
using WelfareAudit.Testing;

namespace WelfareAudit.Infrastructure.Tests.Storage;

/// <summary>
/// The Table ledger on a real Azurite passes the contract the use cases rely on (the same tests as the
/// in-memory ledger). Several hosts are several <see cref="TableLedger"/> instances that share nothing but
/// the table, as scaled-out instances do. Table-only behaviour (rows, limits) is in <see cref="TableLedgerTests"/>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableLedgerContractTests(AzuriteFixture azurite) : LedgerContract
{
    private readonly IKeyRing _keys = TestKeyRing.Create();

    protected override Task<IReadOnlyList<ILedger>> CreateHostsAsync(int hosts)
    {
        var table = azurite.NewTable();
        return Task.FromResult<IReadOnlyList<ILedger>>(
            [.. Enumerable.Range(0, hosts).Select(_ => new TableLedger(table, _keys, Time, new LedgerOptions(), NullLogger<TableLedger>.Instance))]);
    }
}

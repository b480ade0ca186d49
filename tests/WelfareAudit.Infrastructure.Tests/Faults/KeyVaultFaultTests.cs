using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Infrastructure.Tests.Support;
using WelfareAudit.Testing;

namespace WelfareAudit.Infrastructure.Tests.Faults;

/// <summary>
/// Key Vault throttling (429) or down (503) while therapists log searches: the append fails as
/// "unavailable" (the API answers 503), nothing at all is written (so no plaintext either), and the
/// ledger recovers when the vault does.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class KeyVaultFaultTests(AzuriteFixture azurite)
{
    private const string Ledger = "kv-fault-ledger";

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task AppendAsync_VaultFailing_UnavailableNothingWrittenThenRecovers(int status)
    {
        var vault = new InMemorySecretClient();
        vault.AddVersion("welfareaudit-data-key");
        vault.AddVersion("welfareaudit-index-key");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var keys = new KeyVaultKeyRing(vault, new KeyVaultKeyRingOptions(), time);
        var table = azurite.NewTable();
        var ledger = new TableLedger(table, keys, TimeProvider.System, new LedgerOptions(), NullLogger<TableLedger>.Instance);
        var markers = new Markers();
        var indexKey = await keys.GetCurrentAsync(KeyPurpose.Index, CancellationToken.None);
        var logged = new SearchLogged(Guid.NewGuid(), markers.Entry(DateTimeOffset.UtcNow), BlindIndex.Compute(indexKey, markers.ClientRef));
        vault.FailWith = status;

        var failure = await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.AppendNewSearchAsync(Ledger, "t", logged, null, CancellationToken.None));
        var rowsDuringOutage = await table.QueryAsync<TableEntity>().ToListAsync();
        vault.FailWith = null;
        var appended = await ledger.AppendNewSearchAsync(Ledger, "t", logged, null, CancellationToken.None);

        Assert.IsType<KeyUnavailableException>(failure.InnerException);
        Assert.Empty(rowsDuringOutage);
        Assert.Equal(1, appended.Sequence);
        Assert.True((await ledger.VerifyAsync(Ledger, CancellationToken.None)).Ok);
    }
    [Fact]
    public async Task VerifyAsync_EnvelopeNamesAVersionTheVaultLacks_ModifiedRow_ButVaultDown_Unavailable()
    {
        var vault = new InMemorySecretClient();
        vault.AddVersion("welfareaudit-data-key");
        vault.AddVersion("welfareaudit-index-key");
        var keys = new KeyVaultKeyRing(vault, new KeyVaultKeyRingOptions(), new FakeTimeProvider(DateTimeOffset.UtcNow));
        var table = azurite.NewTable();
        var ledger = new TableLedger(table, keys, TimeProvider.System, new LedgerOptions(), NullLogger<TableLedger>.Instance);
        var markers = new Markers();
        var logged = new SearchLogged(Guid.NewGuid(), markers.Entry(DateTimeOffset.UtcNow), BlindIndex.Compute(await keys.GetCurrentAsync(KeyPurpose.Index, CancellationToken.None), markers.ClientRef));
        await ledger.AppendNewSearchAsync(Ledger, "t", logged, null, CancellationToken.None);
        var row = (await table.GetEntityAsync<TableEntity>(Ledger, RowKeys.Event(1))).Value;
        var envelope = (byte[])row["S_justification"];
        envelope[2] = envelope[2] == (byte)'a' ? (byte)'b' : (byte)'a';
        row["S_justification"] = envelope;
        await table.UpdateEntityAsync(row, Azure.ETag.All, TableUpdateMode.Replace);

        var tampered = await ledger.VerifyAsync(Ledger, CancellationToken.None);
        vault.FailWith = 503;
        var down = await Record.ExceptionAsync(() => ledger.VerifyAsync(Ledger, CancellationToken.None));

        Assert.Equal((1L, LedgerProblemKind.ModifiedRow), (tampered.Problem!.Sequence, tampered.Problem.Kind));
        Assert.IsType<LedgerUnavailableException>(down);
    }
}

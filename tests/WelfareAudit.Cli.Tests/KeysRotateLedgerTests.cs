using Azure.Data.Tables;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// <c>welfare-audit keys rotate</c> appends a <c>KeyRotated</c> event to every ledger of the table (docs/ledger-format.md
/// §17): Key Vault is the in-memory SecretClient double, the table is Azurite, the ledgers are the product's.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class KeysRotateLedgerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Vault = "https://test-vault.vault.azure.net/";
    private const string Endpoint = "https://practice.table.core.windows.net";

    private readonly AuditWorld _world = new(azurite);
    private readonly InMemorySecretClient _vault = new();

    public async Task InitializeAsync()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-A1");
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistB, "CLIENT-B1");
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, CancellationToken.None, (_, _) => _vault,
            (_, _) => new TableServiceClient(azurite.Server.ConnectionString));
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    private async Task<List<KeyRotated>> RotationsAsync(string ledgerId) =>
        [.. (await _world.Ledger.ReadAsync(ledgerId, 1, null, default).ToListAsync()).Select(e => e.Event).OfType<KeyRotated>()];

    [Fact]
    public async Task KeysRotate_Signing_EveryLedgerAnnouncesTheNewKeyWithItsPublicKey_AndTheNewKeySigns()
    {
        await RunAsync("keys", "init", "--vault", Vault);

        var run = await RunAsync("keys", "rotate", "--vault", Vault, "--purpose", "signing", "--table-endpoint", Endpoint, "--table-name", _world.TableName);

        Assert.True(run.ExitCode == CliApp.Ok, run.Out + run.Error);
        Assert.Contains("KeyRotated appended to 2 of 2 ledger(s).", run.Out, StringComparison.Ordinal);
        Assert.Equal(2, _vault.Versions("welfareaudit-signing-key"));
        Assert.Equal(1, _vault.Versions("welfareaudit-data-key"));
        var ring = new KeyVaultKeyRing(_vault, new KeyVaultKeyRingOptions(), TimeProvider.System);
        using var key = await new KeyRingSigningKeys(ring).GetCurrentAsync(default);
        using var publicKey = CheckpointStatement.ImportPublicKey(key.PublicKeyPem);
        foreach (var ledger in new[] { AuditWorld.TherapistA, AuditWorld.TherapistB })
        {
            var rotated = Assert.Single(await RotationsAsync(ledger));
            Assert.Equal((KeyRotated.Signing, key.KeyId), (rotated.Purpose, rotated.KeyId));
            Assert.Equal(Convert.ToBase64String(publicKey.ExportSubjectPublicKeyInfo()), rotated.PublicKey);
        }
        var statement = CheckpointStatement.Encode("ledger", 1, new string('a', 64), DateTimeOffset.UnixEpoch);
        Assert.True(CheckpointStatement.Verify(publicKey, statement, key.SignBase64(statement)));
    }

    [Fact]
    public async Task KeysRotate_All_EveryLedgerRecordsEachPurpose_OnlySigningWithAPublicKey()
    {
        await RunAsync("keys", "init", "--vault", Vault);

        var run = await RunAsync("keys", "rotate", "--vault", Vault, "--purpose", "all", "--table-endpoint", Endpoint, "--table-name", _world.TableName);

        Assert.True(run.ExitCode == CliApp.Ok, run.Out + run.Error);
        var rotated = await RotationsAsync(AuditWorld.TherapistB);
        Assert.Equal([KeyRotated.Data, KeyRotated.Index, KeyRotated.Signing], rotated.Select(r => r.Purpose));
        Assert.Equal([false, false, true], rotated.Select(r => r.PublicKey is not null));
        Assert.True((await _world.Ledger.VerifyAsync(AuditWorld.TherapistB, default)).Ok);
    }

    [Fact]
    public async Task KeysRotate_TableEndpointNotHttps_UsageErrorBeforeTheVaultIsTouched()
    {
        await RunAsync("keys", "init", "--vault", Vault);

        var run = await RunAsync("keys", "rotate", "--vault", Vault, "--purpose", "signing", "--table-endpoint", "http://practice.table.core.windows.net");

        Assert.Equal(CliApp.UsageError, run.ExitCode);
        Assert.Equal(1, _vault.Versions("welfareaudit-signing-key"));
        Assert.Empty(await RotationsAsync(AuditWorld.TherapistA));
    }
}

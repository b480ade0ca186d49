using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// Key history in the chain (docs/ledger-format.md §17), end to end: the product's ledgers and export, the local key
/// file rotated as <c>keys rotate</c> rotates Key Vault, then <c>welfare-audit verify</c>. A bundle whose head and
/// manifest are signed by a key the chain never announced is a finding; announced, it verifies.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class KeyHistoryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly AuditWorld _world = new(azurite);

    public async Task InitializeAsync()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-A1");
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistB, "CLIENT-B1");
        _world.Time.Advance(TimeSpan.FromDays(1));
        await _world.DailyCheckpoint.RunAsync(default); // signed by the first key
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<KeyMaterial> RotateSigningKeyAsync() => await _world.KeyRing.RotateAsync(KeyPurpose.Signing, default);

    private async Task AnnounceAsync(KeyRotated rotated)
    {
        foreach (var ledger in new[] { AuditWorld.TherapistA, AuditWorld.TherapistB })
        {
            await _world.Ledger.AppendAsync(ledger, "system:key-rotation", null, _ => rotated, default);
        }
    }

    [Fact]
    public async Task Verify_HeadSignedByAKeyTheChainNeverAnnounced_UnannouncedKey()
    {
        var newKey = await RotateSigningKeyAsync();
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA));

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await _world.PublicKeyFileAsync());

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith("FAILED: UnannouncedKey", run.Out, StringComparison.Ordinal);
        Assert.Contains(newKey.KeyId, run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_RotationAnnouncedInEveryLedger_Verifies_AndExtendsTheExportSignedByTheOldKey()
    {
        var oldBundle = await _world.ExportAsync(AuditWorld.Bundle(), "old.jsonl");
        var oldKey = await _world.PublicKeyFileAsync();
        File.Move(oldKey, oldKey + ".old");
        var newKey = await RotateSigningKeyAsync();
        await AnnounceAsync(KeyRotationAnnouncement.EventFor(KeyPurpose.Signing, newKey));
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(), "new.jsonl");

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await _world.PublicKeyFileAsync(), "--extends", oldBundle, "--extends-public-key", oldKey + ".old");

        Assert.True(run.ExitCode == CliApp.Ok, run.Out);
        Assert.Contains("EXTENDS:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SigningRotationWithoutAPublicKey_Malformed()
    {
        await AnnounceAsync(new KeyRotated(KeyRotated.Signing, "v2"));
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA));

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await _world.PublicKeyFileAsync());

        Assert.StartsWith("FAILED: Malformed", run.Out, StringComparison.Ordinal);
        Assert.Contains("P-256 public key", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AnnouncedPublicKeyIsNotTheOneTheBundleCarries_UnannouncedKey()
    {
        var newKey = await RotateSigningKeyAsync();
        var someoneElses = KeyRotationAnnouncement.EventFor(KeyPurpose.Signing, new KeyMaterial("x", Enumerable.Repeat((byte)9, 32).ToArray()));
        await AnnounceAsync(new KeyRotated(KeyRotated.Signing, newKey.KeyId, someoneElses.PublicKey));
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistB));

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await _world.PublicKeyFileAsync());

        Assert.StartsWith("FAILED: UnannouncedKey", run.Out, StringComparison.Ordinal);
        Assert.Contains("another public key", run.Out, StringComparison.Ordinal);
    }
}

using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Microsoft.Extensions.DependencyInjection;
using WelfareAudit.Core.Anchors;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests.Trust;

/// <summary>
/// Issue 13's "done when": the owner deletes a search from the middle of a ledger, rebuilds the chain and re-signs
/// everything with the real key. The plain verify passes (the limit of a single key); <c>--extends</c> with the export
/// the board kept, <c>--anchors</c> with the checkpoints the practice anchored in its WORM container before the rewrite
/// (pulled read-only by the board), and <c>--witness</c> with the key of a witness that cosigned the kept export each
/// refuse it, naming the sequence. The owner also switches anchoring off for the export after the rewrite: they control
/// the app's settings, not the container's immutability.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OwnerRewriteTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly WitnessRound _witness = new();
    private readonly BlobContainerClient _container = azurite.NewContainer();
    private OwnerRewriteScenario _attack = null!;
    private string _anchors = "";

    public async Task InitializeAsync()
    {
        await _container.CreateIfNotExistsAsync();
        var practice = new AuditWorld(azurite, services => services.AddSingleton<ICheckpointAnchors>(new BlobCheckpointAnchors(_container, createContainer: false)));
        _attack = await new OwnerRewriteScenario(practice).RunAsync(_witness.CosignAndUploadAsync,
            ownersApp: services => services.AddSingleton<ICheckpointAnchors>(new UnconfiguredCheckpointAnchors()));

        // The board pulls the anchors with read-only access when it receives the new export.
        _anchors = Path.Combine(_attack.World.Folder, "anchors");
        var sas = _container.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1)).Query.TrimStart('?');
        var pull = await CliRun.RunAsync("anchors", "pull", "--container", _container.Uri.ToString(), "--sas", sas, "--out", _anchors);
        Assert.True(pull.ExitCode == CliApp.Ok, pull.Out + pull.Error);
    }

    public async Task DisposeAsync() => await _attack.World.DisposeAsync();

    [Fact]
    public async Task Verify_RewrittenLedger_PassesWithThePracticeKey()
    {
        var run = await CliRun.RunAsync("verify", _attack.NewBundle, "--public-key", _attack.PublicKey);

        Assert.Equal(CliApp.Ok, run.ExitCode);
        Assert.StartsWith("OK: ", run.Out, StringComparison.Ordinal);
        Assert.Equal(6, _attack.Rewrite.FirstRemovedSequence);
        Assert.Equal(5, _attack.Rewrite.RemovedEvents);
    }

    [Fact]
    public async Task VerifyExtends_RewrittenLedger_RefusedAtTheFirstRemovedSequence()
    {
        var run = await CliRun.RunAsync("verify", _attack.NewBundle, "--public-key", _attack.PublicKey, "--extends", _attack.OldBundle);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith("REFUSED: Diverges", run.Out, StringComparison.Ordinal);
        Assert.True(run.Out.Contains($"where: ledger {_attack.LedgerId}, sequence {_attack.Rewrite.FirstRemovedSequence}\n", StringComparison.Ordinal), run.Out);
        Assert.Contains($"ledger {AuditWorld.TherapistB}: Extends", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyWitness_RewrittenLedger_RefusedAtTheCosignedSequence()
    {
        var cosigned = _witness.CosignedSequence(_attack.LedgerId);

        var run = await CliRun.RunAsync("verify", _attack.NewBundle, "--public-key", _attack.PublicKey, "--witness", _witness.VerifierKey);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith("FAILED: WitnessMismatch", run.Out, StringComparison.Ordinal);
        Assert.True(run.Out.Contains($"where: ledger {_attack.LedgerId}, sequence {cosigned}\n", StringComparison.Ordinal), run.Out);
        Assert.True(cosigned >= _attack.Rewrite.FirstRemovedSequence, "the witness cosigned a head after the deleted search");
    }

    [Fact]
    public async Task WitnessCosign_RewrittenLedger_RefusedByTheWitnessStateAtTheCosignedSequence()
    {
        var cosigned = _witness.CosignedSequence(_attack.LedgerId);

        var run = await CliRun.RunAsync("witness", "cosign", _attack.NewBundle, "--key", _witness.Key, "--practice", WitnessRound.Practice, "--public-key", _attack.PublicKey,
            "--out", Path.Combine(_witness.Folder, "new.cosignatures.json"));

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.Contains($"ledger {_attack.LedgerId}, sequence {cosigned}: Diverges", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain($"ledger {AuditWorld.TherapistB},", run.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_witness.Folder, "new.cosignatures.json")));
    }

    [Fact]
    public async Task VerifyAnchors_RewrittenLedger_RefusedAsAForkAtAnAnchoredSequence()
    {
        var run = await CliRun.RunAsync("verify", _attack.NewBundle, "--public-key", _attack.PublicKey, "--anchors", _anchors);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.Contains("FAILED: Fork", run.Out, StringComparison.Ordinal);
        var marker = $"where: ledger {_attack.LedgerId}, sequence ";
        var at = run.Out.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, run.Out);
        var sequence = long.Parse(new string(run.Out[(at + marker.Length)..].TakeWhile(char.IsAsciiDigit).ToArray()), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(sequence, _attack.Rewrite.FirstRemovedSequence, _attack.Rewrite.OldHead);
        Assert.Contains($", anchor {_attack.LedgerId}/{sequence:D20}-", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain($"where: ledger {AuditWorld.TherapistB}", run.Out, StringComparison.Ordinal);
    }
}

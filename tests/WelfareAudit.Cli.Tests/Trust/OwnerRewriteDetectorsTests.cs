using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Microsoft.Extensions.DependencyInjection;
using WelfareAudit.Core.Anchors;
using WelfareAudit.Core.Witness;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests.Trust;

/// <summary>
/// Issue 13's "done when", with all three detectors on one attack. The practice anchors every checkpoint in its WORM
/// container; after the export the board keeps, a witness cosigns it and the supervisor uploads the cosignatures, so
/// the ledger records them. Then the owner, holding every key and the table, deletes a search from the middle of
/// therapist A's ledger, rebuilds and re-signs everything, switches anchoring off (the owner controls the app's
/// settings, not the container's immutability) and exports again. The plain <c>verify</c> passes: that is the limit
/// of one key. <c>--extends</c>, <c>--anchors</c> and <c>--witness</c> each refuse the new bundle, naming the ledger
/// and a sequence at or after the first one the owner removed.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OwnerRewriteDetectorsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Practice = "clinic.example";

    private readonly BlobContainerClient _container = azurite.NewContainer();
    private OwnerRewriteScenario _attack = null!;
    private string _witnessFolder = "";
    private string _anchors = "";

    public async Task InitializeAsync()
    {
        await _container.CreateIfNotExistsAsync();
        var world = new AuditWorld(azurite, services => services.AddSingleton<ICheckpointAnchors>(new BlobCheckpointAnchors(_container, createContainer: false)));
        _witnessFolder = Path.Combine(world.Folder, "witness");
        _attack = await new OwnerRewriteScenario(world).RunAsync(
            async scenario =>
            {
                // The witness, on its own machine: a key, then a cosignature of the export the board keeps.
                Assert.Equal(CliApp.Ok, (await CliRun.RunAsync("witness", "init", "--out", _witnessFolder, "--name", "board.example/witness")).ExitCode);
                var cosignatures = scenario.OldBundle + ".cosignatures.json";
                var cosign = await CliRun.RunAsync("witness", "cosign", scenario.OldBundle, "--key", Path.Combine(_witnessFolder, WitnessCommands.PrivateKeyFile),
                    "--practice", Practice, "--public-key", scenario.PublicKey, "--out", cosignatures);
                Assert.True(cosign.ExitCode == CliApp.Ok, cosign.Out + cosign.Error);
                // The supervisor uploads them (what POST /api/ledger/cosignatures runs): each ledger records its WitnessCosigned.
                var file = JsonSerializer.Deserialize<CosignatureFile>(await File.ReadAllTextAsync(cosignatures), CosignatureFile.Json);
                var recorded = await scenario.World.Service<CosignatureRecorder>().RecordAsync(AuditWorld.Supervisor, file, _ => null, default);
                Assert.Equal(2, recorded.Count);
            },
            ownersApp: services => services.AddSingleton<ICheckpointAnchors>(new UnconfiguredCheckpointAnchors()));

        // The board pulls the anchors with read-only access, after receiving the new export.
        _anchors = Path.Combine(_attack.World.Folder, "anchors");
        var sas = _container.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1)).Query.TrimStart('?');
        var pull = await CliRun.RunAsync("anchors", "pull", "--container", _container.Uri.ToString(), "--sas", sas, "--out", _anchors);
        Assert.True(pull.ExitCode == CliApp.Ok, pull.Out + pull.Error);
    }

    public async Task DisposeAsync() => await _attack.World.DisposeAsync();

    private long RemovedAt => _attack.Rewrite.FirstRemovedSequence;

    /// <summary>The sequence a refusal names for the rewritten ledger ("where: ledger A, sequence N").</summary>
    private long NamedSequence(string output)
    {
        var marker = $"where: ledger {_attack.LedgerId}, sequence ";
        var at = output.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, output);
        var digits = new string(output[(at + marker.Length)..].TakeWhile(char.IsAsciiDigit).ToArray());
        return long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task PlainVerify_RewrittenAndResigned_Passes()
    {
        var run = await CliRun.RunAsync("verify", _attack.NewBundle, "--public-key", _attack.PublicKey);

        Assert.True(run.ExitCode == CliApp.Ok, run.Out + run.Error);
        Assert.StartsWith("OK: ", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extends_RefusesAtTheFirstRemovedSequence()
    {
        var run = await CliRun.RunAsync("verify", _attack.NewBundle, "--public-key", _attack.PublicKey, "--extends", _attack.OldBundle);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.Equal(RemovedAt, NamedSequence(run.Out));
    }

    [Fact]
    public async Task Anchors_RefuseTheRewrittenLedgerAsAFork()
    {
        var run = await CliRun.RunAsync("verify", _attack.NewBundle, "--public-key", _attack.PublicKey, "--anchors", _anchors);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.Contains("FAILED: Fork", run.Out, StringComparison.Ordinal);
        Assert.InRange(NamedSequence(run.Out), RemovedAt, _attack.Rewrite.OldHead);
        Assert.Contains($"anchor {_attack.LedgerId}/", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Witness_RefusesTheRewrittenLedger()
    {
        var run = await CliRun.RunAsync("verify", _attack.NewBundle, "--public-key", _attack.PublicKey,
            "--witness", Path.Combine(_witnessFolder, WitnessCommands.VerifierKeyFile));

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.Contains("WitnessMismatch", run.Out, StringComparison.Ordinal);
        Assert.InRange(NamedSequence(run.Out), RemovedAt, _attack.Rewrite.OldHead);
    }
}

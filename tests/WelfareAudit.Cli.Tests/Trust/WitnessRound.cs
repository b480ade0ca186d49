using System.Text.Json;
using WelfareAudit.Core.Witness;

namespace WelfareAudit.Cli.Tests.Trust;

/// <summary>
/// What a board's witness does with the export it received before the owner's rewrite (<see cref="OwnerRewriteScenario"/>):
/// creates its key on its own machine, cosigns the export (keeping its state), and the supervisor uploads the
/// cosignatures, which the ledgers then record. The owner holds neither the witness key nor the witness's state.
/// </summary>
public sealed class WitnessRound
{
    public const string Practice = "clinic.example";

    public string Folder { get; } = Directory.CreateTempSubdirectory("wa-witness-round-").FullName;

    public string Key => Path.Combine(Folder, WitnessCommands.PrivateKeyFile);

    public string VerifierKey => Path.Combine(Folder, WitnessCommands.VerifierKeyFile);

    /// <summary>The cosignatures of the earlier export, as uploaded.</summary>
    public CosignatureFile Cosigned { get; private set; } = null!;

    public long CosignedSequence(string ledgerId) => Cosigned.Cosignatures!.Single(c => c.LedgerId == ledgerId).TreeSize!.Value;

    public async Task CosignAndUploadAsync(OwnerRewriteScenario scenario)
    {
        Assert.Equal(CliApp.Ok, (await CliRun.RunAsync("witness", "init", "--out", Folder, "--name", "board.example/witness")).ExitCode);
        var output = Path.Combine(Folder, "old.cosignatures.json");
        var run = await CliRun.RunAsync("witness", "cosign", scenario.OldBundle, "--key", Key, "--practice", Practice, "--public-key", scenario.PublicKey, "--out", output);
        Assert.True(run.ExitCode == CliApp.Ok, run.Out + run.Error);
        Cosigned = JsonSerializer.Deserialize<CosignatureFile>(await File.ReadAllTextAsync(output), CosignatureFile.Json)!;
        await scenario.World.Cosignatures.RecordAsync(AuditWorld.Supervisor, Cosigned, _ => null, default);
    }
}

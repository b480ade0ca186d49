using System.Text.Json;
using WelfareAudit.Core.Witness;
using WelfareAudit.Cli.Tests.Trust;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>The witness on the product's own exports (Azurite, the product's DI): a dated export is not a whole history.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WitnessExportTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly AuditWorld _world = new(azurite);
    private readonly WitnessRound _witness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<string> DatedExportAsync(string name)
    {
        _world.Time.Advance(TimeSpan.FromDays(1));
        await _world.DailyCheckpoint.RunAsync(default);
        _world.Time.Advance(TimeSpan.FromDays(1));
        var from = _world.Time.GetUtcNow();
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-LATER");
        return await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA, from: from), name);
    }

    [Fact]
    public async Task Cosign_DatedExport_RefusedNamingWhereThePartStarts()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-EARLY");
        var dated = await DatedExportAsync("dated.jsonl");
        var key = await _world.PublicKeyFileAsync();
        Assert.Equal(CliApp.Ok, (await CliRun.RunAsync("witness", "init", "--out", _witness.Folder)).ExitCode);

        var run = await CliRun.RunAsync("witness", "cosign", dated, "--key", _witness.Key, "--practice", WitnessRound.Practice, "--public-key", key);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.Contains($"ledger {AuditWorld.TherapistA}, sequence ", run.Out, StringComparison.Ordinal);
        Assert.Contains("a witness cosigns whole histories", run.Out, StringComparison.Ordinal);
    }

    /// <summary>
    /// A dated export carries the WitnessCosigned events recorded inside its part only; one that was uploaded after
    /// the part's anchor but cosigns a head before it is counted, not checked (the bundle does not show that hash).
    /// </summary>
    [Fact]
    public async Task VerifyWitness_DatedExportStartingAfterTheCosignedHead_CountsTheCosignatureItCannotCheck()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-EARLY");
        var full = await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA), "full.jsonl");
        var key = await _world.PublicKeyFileAsync();
        Assert.Equal(CliApp.Ok, (await CliRun.RunAsync("witness", "init", "--out", _witness.Folder)).ExitCode);
        var output = Path.Combine(_witness.Folder, "c.json");
        Assert.Equal(CliApp.Ok, (await CliRun.RunAsync("witness", "cosign", full, "--key", _witness.Key, "--practice", WitnessRound.Practice, "--public-key", key, "--out", output)).ExitCode);
        _world.Time.Advance(TimeSpan.FromDays(1));
        await _world.DailyCheckpoint.RunAsync(default);
        _world.Time.Advance(TimeSpan.FromDays(1));
        var from = _world.Time.GetUtcNow();
        await _world.Cosignatures.RecordAsync(AuditWorld.Supervisor, JsonSerializer.Deserialize<CosignatureFile>(File.ReadAllText(output), CosignatureFile.Json), _ => null, default);
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-LATER");
        var dated = await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA, from: from), "dated.jsonl");

        var run = await CliRun.RunAsync("verify", dated, "--public-key", key, "--witness", _witness.VerifierKey);

        Assert.True(run.ExitCode == CliApp.Ok, run.Out);
        Assert.Contains("0 checked against the chain, 1 before this bundle's part (not checkable here)", run.Out, StringComparison.Ordinal);
    }
}

using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Microsoft.Extensions.DependencyInjection;
using WelfareAudit.Core.Anchors;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// <c>welfare-audit anchors pull</c> from Azurite's blob service with a read-only SAS, and <c>verify BUNDLE --anchors DIR</c>
/// offline: an agreeing bundle passes; a ledger the owner rebuilt (with the practice's own key) forks; a shorter one rolls
/// back; one left out is missing; an anchor whose signature was altered is refused.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AnchorsCommandTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly BlobContainerClient _container = azurite.NewContainer();
    private readonly List<AuditWorld> _worlds = [];

    public Task InitializeAsync() => _container.CreateIfNotExistsAsync();

    public async Task DisposeAsync()
    {
        foreach (var world in _worlds)
        {
            await world.DisposeAsync();
        }
    }

    /// <summary>
    /// A practice whose checkpoints are anchored in the test's container. <paramref name="sameKeyAs"/> plays the owner who
    /// rebuilds: that practice's key file, a fresh table, and anchoring switched off (else the export itself would refuse the
    /// rebuilt ledgers as forks: the owner controls the app and its settings, not the container's immutability).
    /// </summary>
    private AuditWorld World(AuditWorld? sameKeyAs = null, bool? anchoring = null)
    {
        var world = new AuditWorld(azurite, services => services.AddSingleton<ICheckpointAnchors>(
            anchoring ?? sameKeyAs is null ? new BlobCheckpointAnchors(_container, createContainer: false) : new UnconfiguredCheckpointAnchors()));
        if (sameKeyAs is not null)
        {
            File.Copy(Path.Combine(sameKeyAs.Folder, "keys.json"), Path.Combine(world.Folder, "keys.json"));
            world.Time.SetUtcNow(sameKeyAs.Time.GetUtcNow().AddDays(1)); // rebuilt later than the original was signed
        }
        _worlds.Add(world);
        return world;
    }

    private string ReadOnlySas() =>
        _container.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1)).Query.TrimStart('?');

    private async Task<string> PullAsync(AuditWorld world)
    {
        var folder = Path.Combine(world.Folder, "anchors");
        var run = await CliRun.RunAsync("anchors", "pull", "--container", _container.Uri.ToString(), "--sas", ReadOnlySas(), "--out", folder);
        Assert.True(run.ExitCode == CliApp.Ok, run.Out + run.Error);
        return folder;
    }

    /// <summary>The original practice: a search in each of two ledgers, the daily checkpoint, a full export. Every checkpoint is anchored.</summary>
    private async Task<AuditWorld> OriginalAsync()
    {
        var world = World();
        await world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "C-1");
        await world.SearchWithFollowUpAsync(AuditWorld.TherapistB, "C-2");
        await world.DailyCheckpoint.CheckpointAllAsync(default);
        world.Time.Advance(TimeSpan.FromHours(1));
        await world.ExportAsync(AuditWorld.Bundle());
        return world;
    }

    [Fact]
    public async Task Pull_ReadOnlySas_CopiesEveryAnchorUnderItsBlobName_AndAgainAddsNothing()
    {
        var world = await OriginalAsync();
        var folder = Path.Combine(world.Folder, "anchors");

        var first = await CliRun.RunAsync("anchors", "pull", "--container", _container.Uri.ToString(), "--sas", ReadOnlySas(), "--out", folder);
        var second = await CliRun.RunAsync("anchors", "pull", "--container", _container.Uri + "?" + ReadOnlySas(), "--out", folder);

        Assert.Equal(CliApp.Ok, first.ExitCode);
        Assert.Contains("Pulled 4 new anchor(s); 0 were already in the folder", first.Out, StringComparison.Ordinal);
        Assert.Contains("Pulled 0 new anchor(s); 4 were already in the folder", second.Out, StringComparison.Ordinal);
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order().ToList();
        var blobs = new List<string>();
        await foreach (var blob in _container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, default))
        {
            blobs.Add(blob.Name);
            Assert.Equal((await _container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray(), await File.ReadAllBytesAsync(Path.Combine(folder, blob.Name)));
        }
        Assert.Equal(blobs.Order(), files);
    }

    [Fact]
    public async Task Pull_SasWithoutListPermission_StorageErrorNotAnEmptySuccess()
    {
        var sas = _container.GenerateSasUri(BlobContainerSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1)).Query.TrimStart('?');

        var run = await CliRun.RunAsync("anchors", "pull", "--container", _container.Uri.ToString(), "--sas", sas, "--out", Directory.CreateTempSubdirectory("wa-pull-").FullName);

        Assert.Equal(AnchorCommands.StorageError, run.ExitCode);
    }

    [Fact]
    public async Task Verify_BundleAgreesWithTheAnchors_AnchorsOk()
    {
        var world = await OriginalAsync();
        var bundle = Path.Combine(world.Folder, "bundle.jsonl");
        var folder = await PullAsync(world);

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await world.PublicKeyFileAsync(), "--anchors", folder);

        Assert.True(run.ExitCode == CliApp.Ok, run.Out + run.Error);
        Assert.Contains("ANCHORS OK: the bundle agrees with 4 anchored checkpoint(s)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OwnerRebuiltALedgerWithTheRealKey_PlainVerifyPassesAnchorsFindTheFork()
    {
        var original = await OriginalAsync();
        var rebuilt = World(sameKeyAs: original);
        await rebuilt.SearchWithFollowUpAsync(AuditWorld.TherapistA, "C-1"); // the same story, logged again: other ids and times
        await rebuilt.SearchWithFollowUpAsync(AuditWorld.TherapistB, "C-2");
        await rebuilt.DailyCheckpoint.CheckpointAllAsync(default);
        var bundle = await rebuilt.ExportAsync(AuditWorld.Bundle());
        var folder = await PullAsync(rebuilt);
        var key = await original.PublicKeyFileAsync();

        var plain = await CliRun.RunAsync("verify", bundle, "--public-key", key);
        var anchored = await CliRun.RunAsync("verify", bundle, "--public-key", key, "--anchors", folder);

        Assert.Equal(CliApp.Ok, plain.ExitCode);
        Assert.Equal(CliApp.VerificationFailed, anchored.ExitCode);
        Assert.Contains("FAILED: Fork", anchored.Out, StringComparison.Ordinal);
        Assert.Contains($"where: ledger {AuditWorld.TherapistA}, sequence 5, anchor {AuditWorld.TherapistA}/00000000000000000005-", anchored.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OwnerRebuiltOneLedgerShorterAndDroppedTheOther_RollbackAndMissingLedger()
    {
        var original = await OriginalAsync();
        var rebuilt = World(sameKeyAs: original);
        await rebuilt.SearchWithFollowUpAsync(AuditWorld.TherapistA, "C-1", discuss: false); // 4 events where there were 5
        var bundle = await rebuilt.ExportAsync(AuditWorld.Bundle());
        var folder = await PullAsync(rebuilt);

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await original.PublicKeyFileAsync(), "--anchors", folder);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.Contains("FAILED: Rollback", run.Out, StringComparison.Ordinal);
        Assert.Contains($"where: ledger {AuditWorld.TherapistA}, sequence 6, anchor {AuditWorld.TherapistA}/00000000000000000006-", run.Out, StringComparison.Ordinal);
        Assert.Contains("FAILED: MissingLedger", run.Out, StringComparison.Ordinal);
        Assert.Contains($"where: ledger {AuditWorld.TherapistB}, sequence 6, anchor {AuditWorld.TherapistB}/00000000000000000006-", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AnchorSignatureAltered_BadAnchor()
    {
        var world = await OriginalAsync();
        var folder = await PullAsync(world);
        var file = Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var text = await File.ReadAllTextAsync(file);
        var at = text.IndexOf("\"signature\":\"", StringComparison.Ordinal) + 13;
        await File.WriteAllTextAsync(file, text[..at] + (text[at] == 'A' ? 'B' : 'A') + text[(at + 1)..]);

        var run = await CliRun.RunAsync("verify", Path.Combine(world.Folder, "bundle.jsonl"), "--anchors", folder);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.Contains("FAILED: BadAnchor", run.Out, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(file), run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_RebuiltLedgersWithAnchoringStillOn_LeftOutAsForkAndRollback()
    {
        var original = await OriginalAsync();
        var rebuilt = World(sameKeyAs: original, anchoring: true);
        await rebuilt.SearchWithFollowUpAsync(AuditWorld.TherapistA, "C-1");
        await rebuilt.SearchWithFollowUpAsync(AuditWorld.TherapistB, "C-2", discuss: false);

        var bundle = await rebuilt.ExportAsync(AuditWorld.Bundle());
        var run = await CliRun.RunAsync("verify", bundle);

        // A: five events again, other ids: the anchored head at 5 differs. B: four events where 6 were anchored.
        Assert.Contains($"the export left out ledger {AuditWorld.TherapistA}: it failed verification in storage at sequence 5 (Fork)", run.Out, StringComparison.Ordinal);
        Assert.Contains($"the export left out ledger {AuditWorld.TherapistB}: it failed verification in storage at sequence 6 (Rollback)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OwnerRebuiltWithANewSigningKey_OldAnchorsStillComparedForkFound()
    {
        var original = await OriginalAsync();
        var rebuilt = World(anchoring: false); // a new key file: a key the original anchors were not signed with
        rebuilt.Time.SetUtcNow(original.Time.GetUtcNow().AddDays(1));
        await rebuilt.SearchWithFollowUpAsync(AuditWorld.TherapistA, "C-1");
        await rebuilt.SearchWithFollowUpAsync(AuditWorld.TherapistB, "C-2");
        await rebuilt.DailyCheckpoint.CheckpointAllAsync(default);
        var bundle = await rebuilt.ExportAsync(AuditWorld.Bundle());
        var folder = await PullAsync(rebuilt);

        var run = await CliRun.RunAsync("verify", bundle, "--anchors", folder);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.Contains("anchors compared without checking their signature: 4 (signed with a key the bundle does not carry)", run.Out, StringComparison.Ordinal);
        Assert.Contains($"where: ledger {AuditWorld.TherapistA}, sequence 5, anchor {AuditWorld.TherapistA}/00000000000000000005-", run.Out, StringComparison.Ordinal);
    }
}

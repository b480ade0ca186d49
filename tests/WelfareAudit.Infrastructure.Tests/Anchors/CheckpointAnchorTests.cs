using System.Text;
using Azure;
using WelfareAudit.Core.Anchors;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Tests.Support;
using WelfareAudit.Testing;

namespace WelfareAudit.Infrastructure.Tests.Anchors;

/// <summary>
/// Anchored checkpoints against Azurite's blob service (docs/ledger-format.md §14): the write, create-only, the retry of a
/// failed write by the next daily run, and the fork / rollback / missing-ledger findings after an owner rebuilds a ledger.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class CheckpointAnchorTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Checkpoint_Anchored_OneBlobNamedByLedgerSequenceAndHashHoldingTheSignedCheckpoint()
    {
        var world = new AnchorWorld(azurite);
        await world.AppendAsync(3);

        var record = await world.CheckpointAsync();

        var name = Assert.Single(await world.BlobNamesAsync());
        Assert.Equal($"{AnchorWorld.LedgerId}/00000000000000000003-{record.Checkpoint.HeadHash}.json", name);
        var content = (await world.Container.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray();
        var anchor = CheckpointAnchor.TryParse(content, out var error);
        Assert.True(anchor is not null, error);
        Assert.Equal(CheckpointAnchor.From(AnchorWorld.LedgerId, record.Checkpoint), anchor);
        Assert.EndsWith("\n", Encoding.ASCII.GetString(content), StringComparison.Ordinal);
        var key = await new KeyRingSigningKeys(world.Keys).GetPublicAsync(record.Checkpoint.SigningKeyId, CancellationToken.None);
        using var publicKey = CheckpointStatement.ImportPublicKey(key.PublicKeyPem);
        Assert.True(anchor.SignatureVerifies(publicKey));
        var verified = Assert.Single(await world.VerifyAllAsync());
        Assert.True(verified.Ok);
        Assert.Equal(new AnchorSummary(1, 3, 0), verified.Anchors);
    }

    [Fact]
    public async Task Create_SameNameTwice_SecondWriteRefusedAndTheFirstContentKept()
    {
        var world = new AnchorWorld(azurite);
        var name = new AnchorName(AnchorWorld.LedgerId, 7, new string('a', 64)).BlobName;

        var first = await world.Store.CreateAsync(name, "first\n"u8.ToArray(), CancellationToken.None);
        var second = await world.Store.CreateAsync(name, "second\n"u8.ToArray(), CancellationToken.None);

        Assert.Equal(AnchorWriteOutcome.Created, first);
        Assert.Equal(AnchorWriteOutcome.AlreadyExists, second);
        Assert.Equal("first\n", (await world.Container.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToString());
        // And not by accident of the client: a plain unconditional upload is what create-only prevents.
        var overwrite = await Record.ExceptionAsync(() => world.Container.GetBlobClient(name).UploadAsync(BinaryData.FromString("third\n"), overwrite: false));
        Assert.Equal(409, Assert.IsType<RequestFailedException>(overwrite).Status);
    }

    [Fact]
    public async Task Anchor_BlobServiceDown_CheckpointStillAppendedFailureLoggedAndTheNextDailyRunAnchorsIt()
    {
        await using var proxy = TcpFaultProxy.Start(azurite.Blobs.Port);
        var world = new AnchorWorld(azurite, azurite.Blobs.ConnectionString.Replace($":{azurite.Blobs.Port}/", $":{proxy.Port}/", StringComparison.Ordinal), maxRetries: 0);
        await world.AppendAsync(2);
        proxy.Cut();

        var record = await world.CheckpointAsync();

        Assert.Equal(3, record.Sequence); // the checkpoint is in the ledger, whatever the blob service does
        Assert.Contains(world.Log.Records, r => r.StartsWith("Warning 8101 ", StringComparison.Ordinal) && r.Contains(record.Checkpoint.HeadHash, StringComparison.Ordinal));
        proxy.Restore();
        Assert.Empty(await world.BlobNamesAsync());
        var pending = Assert.Single(await world.VerifyAllAsync());
        Assert.Equal(new AnchorSummary(0, null, 1), pending.Anchors);

        var summary = await world.Daily.CheckpointAllAsync(CancellationToken.None);

        Assert.Equal(new DailyCheckpointSummary(0, 1), summary); // today's checkpoint exists: not signed again, but anchored now
        Assert.Equal([new AnchorName(AnchorWorld.LedgerId, 2, record.Checkpoint.HeadHash).BlobName], await world.BlobNamesAsync());
        Assert.Contains(world.Log.Records, r => r.StartsWith("Information 8103 ", StringComparison.Ordinal));
        Assert.Equal(0, Assert.Single(await world.VerifyAllAsync()).Anchors!.Unanchored);
    }

    [Fact]
    public async Task Verify_OwnerRebuildsTheLedgerWithOneEventChanged_ForkAtTheAnchoredSequence()
    {
        var world = new AnchorWorld(azurite);
        await world.AppendAsync(4);
        var anchored = await world.CheckpointAsync();

        world.Rebuild();
        await world.AppendAsync(2);
        await world.AppendAsync(1, tag: "rewritten");
        await world.AppendAsync(1);
        await world.CheckpointAsync(); // the rebuilt chain is signed and anchored too: the old anchor stays

        var result = Assert.Single(await world.VerifyAllAsync());
        Assert.False(result.Ok);
        Assert.Equal(LedgerProblemKind.Fork, result.Problem!.Kind);
        Assert.Equal(4, result.Problem.Sequence);
        Assert.Equal(new AnchorName(AnchorWorld.LedgerId, 4, anchored.Checkpoint.HeadHash).BlobName, result.Problem.Anchor);
        Assert.Contains(result.Problem.Anchor!, result.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OwnerRebuildsTheLedgerShorter_RollbackNamingTheHighestAnchor()
    {
        var world = new AnchorWorld(azurite);
        await world.AppendAsync(2);
        var early = await world.CheckpointAsync();     // signs 2, lands at 3
        await world.AppendAsync(2);
        var late = await world.CheckpointAsync();      // signs 5

        world.Rebuild();
        await world.AppendAsync(2);                    // the same first two events: the anchor at 2 still agrees

        var result = Assert.Single(await world.VerifyAllAsync());
        Assert.Equal(LedgerProblemKind.Rollback, result.Problem!.Kind);
        Assert.Equal(5, result.Problem.Sequence);
        Assert.Equal(new AnchorName(AnchorWorld.LedgerId, 5, late.Checkpoint.HeadHash).BlobName, result.Problem.Anchor);
        Assert.Equal(2, early.Checkpoint.UpToSequence);
    }

    [Fact]
    public async Task Verify_AnchoredLedgerGoneFromTheTable_MissingLedgerForASupervisorAndForItsTherapist()
    {
        var world = new AnchorWorld(azurite);
        const string other = "other-ledger";
        await world.AppendAsync(2);
        await world.AppendAsync(1, ledgerId: other);
        var gone = await world.CheckpointAsync();
        await world.CheckpointAsync(other);

        world.Rebuild();
        await world.AppendAsync(1, ledgerId: other);
        await world.AppendAsync(1, ledgerId: other); // the other ledger as it was (same events) and grown

        var all = await world.VerifyAllAsync();
        var own = Assert.Single(await world.Audit.CheckAsync([await world.Ledger.VerifyAsync(AnchorWorld.LedgerId, CancellationToken.None)], everyLedger: false, CancellationToken.None));

        Assert.True(all.Single(l => l.LedgerId == other).Ok);
        var missing = all.Single(l => l.LedgerId == AnchorWorld.LedgerId);
        Assert.Equal(LedgerProblemKind.MissingLedger, missing.Problem!.Kind);
        Assert.Equal(2, missing.Problem.Sequence);
        Assert.Equal(new AnchorName(AnchorWorld.LedgerId, 2, gone.Checkpoint.HeadHash).BlobName, missing.Problem.Anchor);
        Assert.Equal(LedgerProblemKind.MissingLedger, own.Problem!.Kind);
    }
}

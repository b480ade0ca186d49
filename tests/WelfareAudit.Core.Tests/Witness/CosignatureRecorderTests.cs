using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Tests.Support;
using WelfareAudit.Core.Validation;
using WelfareAudit.Core.Witness;

namespace WelfareAudit.Core.Tests.Witness;

/// <summary>The upload's use case on the in-memory ledger: checked first, appended once per ledger, idempotent.</summary>
public sealed class CosignatureRecorderTests
{
    private static readonly WitnessSigningKey Witness = WitnessSigningKey.FromSeed("board.example/witness", Enumerable.Repeat((byte)3, 32).ToArray());

    private readonly UseCaseWorld _world = new();

    private CosignatureRecorder Recorder => new(_world.Ledger, _world.Ledger);

    private async Task<CosignatureFile> CosignedAsync(int searches, Func<CheckpointNote, CheckpointNote>? change = null)
    {
        for (var i = 0; i < searches; i++)
        {
            await _world.Searches.LogAsync(UseCaseWorld.Therapist(), _world.Draft($"C-{i}"), null, default);
        }
        var hashes = new List<string>();
        await foreach (var e in _world.Ledger.ReadAsync(UseCaseWorld.TherapistA, 1, long.MaxValue, _ => false, default))
        {
            hashes.Add(e.Hash);
        }
        var note = new CheckpointNote(WitnessOrigin.For("clinic.example", UseCaseWorld.TherapistA), hashes.Count, MerkleTree.Root(hashes.Select(Convert.FromHexString)), hashes[^1]);
        note = change?.Invoke(note) ?? note;
        var line = Cosignature.Sign(Witness, note.Body, 1764633600).ToLine();
        return new CosignatureFile
        {
            Format = CosignatureFile.FormatName,
            Version = 1,
            Witness = Witness.Public.ToText(),
            Cosignatures = [new() { LedgerId = UseCaseWorld.TherapistA, Origin = note.Origin, TreeSize = note.TreeSize, RootHash = note.RootBase64, HeadHash = note.HeadHash, Signature = line[(line.LastIndexOf(' ') + 1)..^1] }],
        };
    }

    private async Task<List<RecordedEvent>> EventsAsync()
    {
        var events = new List<RecordedEvent>();
        await foreach (var e in _world.Ledger.ReadAsync(UseCaseWorld.TherapistA, 1, null, default))
        {
            events.Add(e);
        }
        return events;
    }

    [Fact]
    public async Task RecordAsync_ValidCosignature_AppendsWitnessCosignedWithTheFileValues()
    {
        var file = await CosignedAsync(3);

        var recorded = Assert.Single(await Recorder.RecordAsync(UseCaseWorld.Supervisor, file, _ => null, default));

        Assert.Equal((4, 3, false), (recorded.Sequence, recorded.TreeSize, recorded.Replayed));
        var last = (await EventsAsync())[^1];
        var e = Assert.IsType<WitnessCosigned>(last.Event);
        Assert.Equal(UseCaseWorld.Supervisor.ObjectId, last.Header.Actor);
        Assert.Equal((Witness.Public.ToText(), 3L, file.Cosignatures![0].Signature), (e.Witness, e.TreeSize, e.Signature));
        Assert.True(WitnessCosignatures.Check(Witness.Public, UseCaseWorld.TherapistA, e).Ok);
    }

    [Fact]
    public async Task RecordAsync_SameCosignatureAgain_NotAppendedTwice()
    {
        var file = await CosignedAsync(2);
        await Recorder.RecordAsync(UseCaseWorld.Supervisor, file, _ => null, default);

        var again = Assert.Single(await Recorder.RecordAsync(UseCaseWorld.Supervisor, file, _ => null, default));

        Assert.True(again.Replayed);
        Assert.Equal(3, again.Sequence);
        Assert.Equal(3, (await EventsAsync()).Count);
    }

    [Fact]
    public async Task RecordAsync_IdempotencyClaim_ReplaysTheFirstAppend()
    {
        var file = await CosignedAsync(1);
        var claim = new IdempotencyClaim(new string('a', 64), new string('b', 64));
        var first = (await Recorder.RecordAsync(UseCaseWorld.Supervisor, file, _ => claim, default))[0];
        // The ledger changes after the first append: the natural check no longer finds it, the claim still does.
        await _world.Searches.LogAsync(UseCaseWorld.Therapist(), _world.Draft("C-late"), null, default);

        var replay = (await Recorder.RecordAsync(UseCaseWorld.Supervisor, file, _ => claim, default))[0];

        Assert.Equal(first.Sequence, replay.Sequence);
        Assert.Equal(3, (await EventsAsync()).Count);
    }

    [Fact]
    public async Task RecordAsync_CosignedHeadNotTheLedgers_ConflictNamingLedgerAndSequence_NothingAppended()
    {
        var file = await CosignedAsync(2, note => note with { HeadHash = new string('5', 64) });

        var e = await Assert.ThrowsAsync<ConflictException>(() => Recorder.RecordAsync(UseCaseWorld.Supervisor, file, _ => null, default));

        Assert.Contains($"ledger {UseCaseWorld.TherapistA}, sequence 2", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await EventsAsync()).Count);
    }

    [Fact]
    public async Task RecordAsync_RootNotTheLedgers_Conflict()
    {
        var file = await CosignedAsync(2, note => note with { RootHash = new byte[32] });

        var e = await Assert.ThrowsAsync<ConflictException>(() => Recorder.RecordAsync(UseCaseWorld.Supervisor, file, _ => null, default));

        Assert.Contains("Merkle root", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordAsync_SignatureOverOtherValues_ValidationNamesTheSignature()
    {
        var file = await CosignedAsync(2);
        file.Cosignatures![0].TreeSize = 1;

        var e = await Assert.ThrowsAsync<ValidationFailedException>(() => Recorder.RecordAsync(UseCaseWorld.Supervisor, file, _ => null, default));

        Assert.True(e.Errors.Contains("cosignatures[0].signature"));
        Assert.Equal(2, (await EventsAsync()).Count);
    }

    [Fact]
    public async Task RecordAsync_TamperedLedger_RefusedBeforeAppending()
    {
        var file = await CosignedAsync(2);
        _world.Ledger.Tamper(UseCaseWorld.TherapistA, 1, e => e with { Header = e.Header with { Actor = "someone-else" } });

        await Assert.ThrowsAsync<WelfareAudit.Core.Audit.LedgerTamperedException>(() => Recorder.RecordAsync(UseCaseWorld.Supervisor, file, _ => null, default));
    }
}

using Azure.Data.Tables;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Validation;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>The export use case and the daily checkpoint against a real ledger on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExportTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly AuditWorld _world = new(azurite);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    /// <summary>Changes the clear next-session time of therapist A's event 2 in the table, as someone with account access would.</summary>
    private async Task TamperWithTherapistAsNextSessionAsync()
    {
        var table = _world.TableLedger.Table;
        var row = (await table.GetEntityAsync<TableEntity>(AuditWorld.TherapistA, RowKeys.Event(2))).Value;
        row["C_nextSessionAt"] = "2027-01-01T00:00:00.0000000Z";
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
    }

    [Fact]
    public async Task PrepareAsync_LedgerTamperedInStorage_RefusedByNameLeftOutOfAllAndSignsNothing()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-T");
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistB, "CLIENT-TB");
        await TamperWithTherapistAsNextSessionAsync();
        var headBefore = await _world.Ledger.GetHeadAsync(AuditWorld.TherapistA, default);

        var e = await Assert.ThrowsAsync<LedgerTamperedException>(() =>
            _world.Exports.PrepareAsync(AuditWorld.Supervisor, AuditWorld.Bundle(AuditWorld.TherapistA), default));
        var all = await _world.Exports.PrepareAsync(AuditWorld.Supervisor, AuditWorld.Bundle(), default);

        Assert.Equal(2, e.Verification.Problem!.Sequence);
        var excluded = Assert.Single(all.ExcludedLedgers);
        Assert.Equal((AuditWorld.TherapistA, 2L), (excluded.LedgerId, excluded.Problem.Sequence));
        Assert.Equal([AuditWorld.TherapistB], all.Ledgers.Select(l => l.LedgerId));
        Assert.Equal(headBefore, await _world.Ledger.GetHeadAsync(AuditWorld.TherapistA, default));
    }

    [Fact]
    public async Task Verify_BundleOfEveryLedgerWithOneTampered_VerifiesAndWarnsOfTheLedgerLeftOut()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-X");
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistB, "CLIENT-XB");
        await TamperWithTherapistAsNextSessionAsync();

        var bundle = await _world.ExportAsync(AuditWorld.Bundle());
        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await _world.PublicKeyFileAsync());

        // The signed manifest's "excluded" member is part of the format (docs/ledger-format.md §13): the strict
        // verifier accepts it, and the board is told which ledger is missing from the bundle and why.
        Assert.Equal(CliApp.Ok, run.ExitCode);
        Assert.Contains($"WARNING: the export left out ledger {AuditWorld.TherapistA}: it failed verification in storage at sequence 2 (ModifiedRow).", run.Out, StringComparison.Ordinal);
        Assert.Contains($"ledger {AuditWorld.TherapistB}:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DailyCheckpoint_LedgerTamperedInStorage_FailsAndSignsNothingThere()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-DT");
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistB, "CLIENT-DU");
        await TamperWithTherapistAsNextSessionAsync();
        var tamperedHead = await _world.Ledger.GetHeadAsync(AuditWorld.TherapistA, default);

        var e = await Assert.ThrowsAsync<AggregateException>(() => _world.DailyCheckpoint.CheckpointAllAsync(default));

        Assert.IsType<LedgerTamperedException>(Assert.Single(e.InnerExceptions));
        Assert.Equal(tamperedHead, await _world.Ledger.GetHeadAsync(AuditWorld.TherapistA, default));
        var other = await _world.Ledger.ReadAsync(AuditWorld.TherapistB, 1, null, default).LastAsync();
        Assert.IsType<Checkpoint>(other.Event);
    }

    [Fact]
    public async Task PrepareAsync_Therapist_Forbidden()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-F");
        var therapist = new Caller(AuditWorld.TherapistA, new HashSet<Role> { Role.Therapist });

        await Assert.ThrowsAsync<ForbiddenException>(() => _world.Exports.PrepareAsync(therapist, AuditWorld.Bundle(), default));
    }

    [Fact]
    public async Task WriteAsync_Bundle_AppendsCheckpointThenAuditExported()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-E");

        await _world.ExportAsync(AuditWorld.Bundle());

        var events = await _world.Ledger.ReadAsync(AuditWorld.TherapistA, 6, null, default).ToListAsync();
        var checkpoint = Assert.IsType<Checkpoint>(events[0].Event);
        var exported = Assert.IsType<AuditExported>(events[1].Event);
        Assert.Equal(5, checkpoint.UpToSequence);
        Assert.Equal(AuditWorld.Supervisor.ObjectId, exported.ExportedBy);
        Assert.Equal("bundle", exported.Format);
        Assert.Equal(5, exported.Count);
        Assert.Equal(6, exported.CheckpointSequence);
    }

    [Fact]
    public async Task WriteAsync_SecondExport_ContainsTheFirstExportsCheckpointAndRecord()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-E2");
        await _world.ExportAsync(AuditWorld.Bundle(), "first.jsonl");

        var second = await _world.ExportAsync(AuditWorld.Bundle(), "second.jsonl");

        var text = File.ReadAllText(second);
        Assert.Contains("\"type\":\"AuditExported\"", text, StringComparison.Ordinal);
        Assert.Equal(CliApp.Ok, (await CliRun.RunAsync("verify", second, "--public-key", await _world.PublicKeyFileAsync())).ExitCode);
    }

    [Fact]
    public async Task ExportAsync_RangeAfterADailyCheckpoint_IsAnchoredOnItAndVerifies()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-OLD");
        _world.Time.Advance(TimeSpan.FromDays(1));
        await _world.DailyCheckpoint.RunAsync(default);
        _world.Time.Advance(TimeSpan.FromDays(1));
        var from = _world.Time.GetUtcNow();
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-NEW");

        var bundle = await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA, from));

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await _world.PublicKeyFileAsync());
        Assert.Equal(CliApp.Ok, run.ExitCode);
        Assert.Contains("events 6..11 (6 events, 5 in range), anchored on checkpoint", run.Out, StringComparison.Ordinal);
        var text = File.ReadAllText(bundle);
        Assert.DoesNotContain("CLIENT-OLD", text, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"CLIENT-NEW\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAsync_RangeEndsBeforeLaterEvents_LaterEventsWithheldButChained()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-IN");
        var until = _world.Time.GetUtcNow();
        _world.Time.Advance(TimeSpan.FromDays(1));
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-LATER");

        var bundle = await _world.ExportAsync(new AuditExportRequest(null, until, AuditWorld.TherapistA, AuditFormat.Bundle, false));

        Assert.Equal(CliApp.Ok, (await CliRun.RunAsync("verify", bundle, "--public-key", await _world.PublicKeyFileAsync())).ExitCode);
        var text = File.ReadAllText(bundle);
        Assert.Contains("\"value\":\"CLIENT-IN\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CLIENT-LATER", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DailyCheckpoint_EveryLedgerOncePerDay_EvenWhenNothingHappened()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-D1");
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistB, "CLIENT-D2");

        var first = await _world.DailyCheckpoint.CheckpointAllAsync(default);
        var repeated = await _world.DailyCheckpoint.CheckpointAllAsync(default);
        _world.Time.Advance(TimeSpan.FromDays(1));
        var nextDay = await _world.DailyCheckpoint.CheckpointAllAsync(default);

        Assert.Equal(new DailyCheckpointSummary(2, 0), first);
        Assert.Equal(new DailyCheckpointSummary(0, 2), repeated);
        Assert.Equal(new DailyCheckpointSummary(2, 0), nextDay);
        var last = await _world.Ledger.ReadAsync(AuditWorld.TherapistB, 7, 7, default).SingleAsync();
        var checkpoint = Assert.IsType<Checkpoint>(last.Event);
        Assert.Equal(6, checkpoint.UpToSequence);
        var key = await _world.SigningKeys.GetPublicAsync(checkpoint.SigningKeyId, default);
        using var ecdsa = CheckpointStatement.ImportPublicKey(key.PublicKeyPem);
        Assert.True(CheckpointStatement.Verify(ecdsa,
            CheckpointStatement.Encode(AuditWorld.TherapistB, checkpoint.UpToSequence, checkpoint.HeadHash, checkpoint.SignedAt), checkpoint.Signature));
        Assert.True((await _world.Ledger.VerifyAsync(AuditWorld.TherapistB, default)).Ok);
    }

    [Theory]
    [InlineData("2026-11-30", "2026-11-01", null, "bundle", null, "to")]
    [InlineData(null, null, null, "xml", null, "format")]
    [InlineData(null, null, null, null, null, "format")]
    [InlineData("2026-11-01T00:00:00", null, null, "csv", null, "from")]
    [InlineData(null, null, "a b", "csv", null, "therapist")]
    [InlineData(null, null, null, "1", null, "format")]
    [InlineData(null, null, null, "html", "yes", "withholdClientRef")]
    public void Parse_BadParameter_NamesIt(string? from, string? to, string? therapist, string? format, string? withhold, string named)
    {
        var e = Assert.Throws<ValidationFailedException>(() => AuditExportRequest.Parse(from, to, therapist, format, withhold, _world.Exports.Formats));

        Assert.True(e.Errors.Contains(named), string.Join(", ", e.Errors.ToDictionary().Keys));
    }

    [Fact]
    public void Parse_DateOnlyTo_IncludesThatWholeDay()
    {
        var request = AuditExportRequest.Parse("2026-11-01", "2026-11-30", null, "fhir", "true", _world.Exports.Formats);

        Assert.True(request.InRange(new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero)));
        Assert.False(request.InRange(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.False(request.InRange(new DateTimeOffset(2026, 10, 31, 23, 59, 59, TimeSpan.Zero)));
        Assert.Equal(AuditFormat.Fhir, request.Format);
        Assert.True(request.WithholdClientRef);
    }
}

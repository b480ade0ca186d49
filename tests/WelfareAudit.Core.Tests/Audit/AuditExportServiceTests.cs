using System.Text;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Tests.Support;
using static WelfareAudit.Core.Tests.Support.UseCaseWorld;

namespace WelfareAudit.Core.Tests.Audit;

/// <summary>The audit export and checkpoint use cases on the in-memory ledger: roles, refusal of a broken chain, what each format holds.</summary>
public class AuditExportServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly UseCaseWorld _world = new();
    private readonly InMemorySigningKeys _keys = new();
    private readonly AuditExportService _sut;
    private readonly LedgerCheckpointer _checkpointer;

    public AuditExportServiceTests()
    {
        _checkpointer = new LedgerCheckpointer(_world.Ledger, _keys, _world.Time);
        var options = new AuditReportOptions();
        var rows = new AuditSearchRows(_world.Ledger, options);
        var formats = new AuditExportFormats([
            new BundleExportFormat(_world.Ledger, _world.Indexer, _keys),
            new CsvExportFormat(rows, _world.Indexer, _world.Time),
            new FhirExportFormat(_world.Ledger, _world.Indexer),
            new HtmlExportFormat(rows, _world.Indexer, options, _world.Time),
        ]);
        _sut = new AuditExportService(_world.Ledger, _checkpointer, _keys, formats, _world.Time);
    }

    private static AuditExportRequest Request(string format, string? therapist = null, DateTimeOffset? from = null, bool withhold = false) =>
        new(from, null, therapist, format, withhold);

    private async Task<(AuditExport Export, string Text)> ExportAsync(AuditExportRequest request)
    {
        var export = await _sut.PrepareAsync(Supervisor, request, None);
        using var output = new MemoryStream();
        await _sut.WriteAsync(export, output, None);
        return (export, Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task PrepareAsync_NotSupervisor_IsForbidden()
    {
        await _world.LogAsync();

        await Assert.ThrowsAsync<ForbiddenException>(() => _sut.PrepareAsync(Therapist(), Request(AuditFormat.Bundle), None));

        Assert.Equal(1, (await _world.Ledger.GetHeadAsync(TherapistA, None))!.Sequence);
    }

    [Fact]
    public async Task PrepareAsync_TherapistWithoutLedger_IsNotFound()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _sut.PrepareAsync(Supervisor, Request(AuditFormat.Bundle, TherapistB), None));
    }

    [Fact]
    public async Task PrepareAsync_TamperedLedger_RefusedByNameLeftOutOfAllAndNothingSignedOnIt()
    {
        await _world.LogAsync(TherapistA);
        await _world.LogAsync(TherapistB);
        _world.Ledger.Tamper(TherapistB, 1, e => e with { Clear = new Dictionary<string, string>(e.Clear) { ["clientIndex"] = "k1:forged" } });

        var refused = await Assert.ThrowsAsync<LedgerTamperedException>(() => _sut.PrepareAsync(Supervisor, Request(AuditFormat.Bundle, TherapistB), None));
        var all = await _sut.PrepareAsync(Supervisor, Request(AuditFormat.Bundle), None);

        Assert.Equal((TherapistB, LedgerProblemKind.ModifiedRow), (refused.Verification.LedgerId, refused.Verification.Problem!.Kind));
        var excluded = Assert.Single(all.ExcludedLedgers);
        Assert.Equal((TherapistB, LedgerProblemKind.ModifiedRow), (excluded.LedgerId, excluded.Problem.Kind));
        Assert.Equal([TherapistA], all.Ledgers.Select(l => l.LedgerId));
        Assert.Equal(1, (await _world.Ledger.GetHeadAsync(TherapistB, None))!.Sequence);
    }

    [Fact]
    public async Task WriteAsync_Bundle_VerifiesOfflineWithThePinnedKey_AndIsRecordedInTheLedger()
    {
        var a = await _world.LogAsync(TherapistA, "C-A1");
        await _world.Searches.RecordDiscussionAsync(Therapist(), a, new DiscussionDraft { DiscussedAt = _world.Time.GetUtcNow() }, null, None);
        await _world.LogAsync(TherapistB, "C-B1");
        var publicKey = await _sut.GetSigningKeyAsync(None);

        var (export, text) = await ExportAsync(Request(AuditFormat.Bundle));
        using var bundle = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var verification = await AuditBundleVerifier.VerifyAsync(bundle, publicKey.PublicKeyPem, null, None);

        Assert.True(verification.Ok, verification.Problem?.ToString());
        Assert.True(verification.KeyPinned);
        Assert.Equal([TherapistA, TherapistB], verification.Ledgers.Select(l => l.LedgerId).Order(StringComparer.Ordinal));
        Assert.Equal(export.Events, verification.Events);
        Assert.Contains("C-A1", text, StringComparison.Ordinal);
        // Each ledger: its events, then the checkpoint the export signed, then the record of the export itself.
        var events = await _world.Ledger.ReadAsync(TherapistA, 1, null, None).ToListAsync();
        Assert.Equal([EventTypes.SearchLogged, EventTypes.DiscussedWithClient, EventTypes.Checkpoint, EventTypes.AuditExported], events.Select(e => e.Header.Type));
        var exported = Assert.IsType<AuditExported>(events[^1].Event);
        Assert.Equal((Supervisor.ObjectId, "bundle", 3L), (exported.ExportedBy, exported.Format, exported.CheckpointSequence));
        Assert.True((await _world.Ledger.VerifyAsync(TherapistA, None)).Ok);
    }

    [Fact]
    public async Task WriteAsync_BundleWithClientRefWithheld_CarriesNoClientCode_AndStillVerifies()
    {
        await _world.LogAsync(TherapistA, "C-HIDDEN-1");
        var publicKey = await _sut.GetSigningKeyAsync(None);

        var (_, text) = await ExportAsync(Request(AuditFormat.Bundle, withhold: true));
        using var bundle = new MemoryStream(Encoding.UTF8.GetBytes(text));

        Assert.DoesNotContain("C-HIDDEN-1", text, StringComparison.Ordinal);
        Assert.True((await AuditBundleVerifier.VerifyAsync(bundle, publicKey.PublicKeyPem, null, None)).Ok);
    }

    [Fact]
    public async Task PrepareAsync_FromAfterADailyCheckpoint_AnchorsThePartOnIt()
    {
        await _world.LogAsync(TherapistA, "C-OLD");
        var job = new DailyCheckpointJob(_world.Ledger, _checkpointer, _world.Time);
        await job.CheckpointAllAsync(None);
        _world.Time.Advance(TimeSpan.FromDays(2));
        await _world.LogAsync(TherapistA, "C-NEW");
        var publicKey = await _sut.GetSigningKeyAsync(None);

        var (export, text) = await ExportAsync(Request(AuditFormat.Bundle, from: _world.Time.GetUtcNow().AddDays(-1)));
        using var bundle = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var verification = await AuditBundleVerifier.VerifyAsync(bundle, publicKey.PublicKeyPem, null, None);

        var part = Assert.Single(export.Ledgers);
        Assert.True(part.AnchoredOnCheckpoint);
        Assert.Equal((2L, 3L), (part.FirstSequence, part.LastSequence));
        Assert.True(verification.Ok, verification.Problem?.ToString());
        Assert.DoesNotContain("C-OLD", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_Csv_OneRowPerSearch_PseudonymsWhenWithheld()
    {
        var a = await _world.LogAsync(TherapistA, "C-CSV-1");
        await _world.LogAsync(TherapistB, "C-CSV-2");

        var (_, open) = await ExportAsync(Request(AuditFormat.Csv));
        var (_, withheld) = await ExportAsync(Request(AuditFormat.Csv, withhold: true));

        var lines = open.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', AuditCsvWriter.Header.Select(h => $"\"{h}\"")), lines[0]); // every field quoted (docs/audit.md, CSV)
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains(a.ToString("D"), StringComparison.Ordinal) && l.Contains("C-CSV-1", StringComparison.Ordinal));
        Assert.DoesNotContain("C-CSV-1", withheld, StringComparison.Ordinal);
        Assert.Equal(3, withheld.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task WriteAsync_Html_ShowsPseudonymsNeverClientCodes()
    {
        var id = await _world.LogAsync(TherapistA, "C-HTML-1");

        var (_, html) = await ExportAsync(Request(AuditFormat.Html));

        Assert.Contains(SearchStatusText.Reference(id), html, StringComparison.Ordinal);
        Assert.DoesNotContain("C-HTML-1", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DailyCheckpointJob_SignsEachHeadOncePerDay_AndFailsOnABrokenLedger()
    {
        await _world.LogAsync(TherapistA);
        await _world.LogAsync(TherapistB);
        var job = new DailyCheckpointJob(_world.Ledger, _checkpointer, _world.Time);

        var first = await job.CheckpointAllAsync(None);
        var again = await job.CheckpointAllAsync(None);
        _world.Time.Advance(TimeSpan.FromDays(1));
        _world.Ledger.Tamper(TherapistB, 1, e => e with { Clear = new Dictionary<string, string>(e.Clear) { ["clientIndex"] = "k1:forged" } });
        var broken = await Assert.ThrowsAsync<AggregateException>(() => job.CheckpointAllAsync(None));

        Assert.Equal(new DailyCheckpointSummary(2, 0), first);
        Assert.Equal(new DailyCheckpointSummary(0, 2), again);
        Assert.IsType<LedgerTamperedException>(Assert.Single(broken.InnerExceptions));
        var checkpoint = Assert.IsType<Checkpoint>((await _world.Ledger.ReadAsync(TherapistA, 3, 3, None).ToListAsync()).Single().Event);
        Assert.Equal(2, checkpoint.UpToSequence);
        Assert.Equal(_keys.CurrentKeyId, checkpoint.SigningKeyId);
        using var publicKey = CheckpointStatement.ImportPublicKey((await _keys.GetPublicAsync(checkpoint.SigningKeyId, None)).PublicKeyPem);
        var head = (await _world.Ledger.ReadAsync(TherapistA, 2, 2, None).ToListAsync()).Single().Hash;
        Assert.True(CheckpointStatement.Verify(publicKey, CheckpointStatement.Encode(TherapistA, 2, head, checkpoint.SignedAt), checkpoint.Signature));
    }
}

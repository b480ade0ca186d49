using System.Text;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// The export reads each ledger once (verify, find the part and spool the event lines in one pass), and its bundle is
/// byte for byte what the export wrote before that change for the same ledger, export id, clock and checkpoints: the
/// manifest as the former clear scan computed it (<see cref="FormerScanAsync"/>, its code kept here unchanged) and the
/// events as the bundle writer writes them reading the ledger again (its path for client accountings, unchanged). Only
/// what is random in every export differs: the manifest's signature (ECDSA) and the per-export pseudonyms.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class SinglePassExportTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly AuditWorld _world = new(azurite);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Bundle_EveryLedgerOneTamperedClientRefWithheld_SameBytesAsTheFormerExport()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-GA");
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-GA2", discuss: false);
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistB, "CLIENT-GB");
        const string third = "0b8f6f2e-1a51-4c3e-9d7a-6f1f9a1b2c03";
        await _world.SearchWithFollowUpAsync(third, "CLIENT-GC");
        var row = (await _world.Table.GetEntityAsync<TableEntity>(AuditWorld.TherapistB, RowKeys.Event(2))).Value;
        row["C_nextSessionAt"] = "2027-01-01T00:00:00.0000000Z";
        await _world.Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        var (export, spooled, former) = await ExportBothWaysAsync(AuditWorld.Bundle(withhold: true));

        Assert.Equal([AuditWorld.TherapistA, third], export.Ledgers.Select(l => l.LedgerId));
        Assert.Equal(AuditWorld.TherapistB, Assert.Single(export.ExcludedLedgers).LedgerId);
        Assert.Contains("\"pseudonym\"", spooled, StringComparison.Ordinal);
        Assert.Equal(WithoutRandom(former), WithoutRandom(spooled));
        await AssertVerifiesAsync(spooled);
    }

    [Fact]
    public async Task Bundle_RangeAfterADailyCheckpointDisclosed_SameBytesAsTheFormerExport()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-OLD");
        await _world.DailyCheckpoint.RunAsync(default);
        _world.Time.Advance(TimeSpan.FromDays(2));
        await _world.DailyCheckpoint.RunAsync(default);
        _world.Time.Advance(TimeSpan.FromDays(2));
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-NEW");

        var (export, spooled, former) = await ExportBothWaysAsync(AuditWorld.Bundle(AuditWorld.TherapistA, from: _world.Time.GetUtcNow().AddDays(-1)));

        var part = Assert.Single(export.Ledgers);
        Assert.True(part.AnchoredOnCheckpoint);
        Assert.Contains("CLIENT-NEW", spooled, StringComparison.Ordinal);
        Assert.DoesNotContain("CLIENT-OLD", spooled, StringComparison.Ordinal);
        Assert.Equal(WithoutRandom(former), WithoutRandom(spooled));
        await AssertVerifiesAsync(spooled);
    }

    [Fact]
    public async Task Bundle_WholeLedgers_SameBytesAsTheFormerExport()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-W1");
        await _world.DailyCheckpoint.RunAsync(default);
        _world.Time.Advance(TimeSpan.FromDays(1));
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-W2");
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistB, "CLIENT-W3");

        var (_, spooled, former) = await ExportBothWaysAsync(AuditWorld.Bundle());

        Assert.Equal(WithoutRandom(former), WithoutRandom(spooled));
        await AssertVerifiesAsync(spooled);
    }

    /// <summary>The export as the product writes it now, and the same export (id, time, checkpoints) as the former code wrote it.</summary>
    private async Task<(AuditExport Export, string Spooled, string Former)> ExportBothWaysAsync(AuditExportRequest request)
    {
        var export = await _world.Exports.PrepareAsync(AuditWorld.Supervisor, request, default);
        Assert.NotNull(export.Spool);
        var reader = _world.Service<IAuditLedgerReader>();
        var formerParts = new List<LedgerExportPart>();
        foreach (var part in export.Ledgers)
        {
            var (first, events, inRange, keyIds) = await FormerScanAsync(reader, part.LedgerId, part.LastSequence, request);
            formerParts.Add(new LedgerExportPart(part.LedgerId, first, part.LastSequence, events, inRange, part.Checkpoint, keyIds));
        }
        var formerExport = export with { Ledgers = formerParts, Spool = null };

        using var spooled = new MemoryStream();
        await _world.Exports.WriteAsync(export, spooled, default);
        using var former = new MemoryStream();
        await formerExport.Format.WriteAsync(formerExport, former, default);
        return (export, Encoding.UTF8.GetString(spooled.ToArray()), Encoding.UTF8.GetString(former.ToArray()));
    }

    /// <summary>AuditExportService.ScanAsync as it was before the single pass: a second, clear read of each ledger.</summary>
    private static async Task<(long First, long Events, long InRange, IReadOnlyList<string> KeyIds)> FormerScanAsync(IAuditLedgerReader reader, string ledgerId, long upTo, AuditExportRequest request)
    {
        long first = 1, events = 0, inRange = 0;
        var keyIds = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in reader.ReadAsync(ledgerId, 1, upTo, _ => false, default))
        {
            if (AuditExportService.IsAnchor(e) && request.From is { } from && e.Header.RecordedAt < from)
            {
                first = e.Header.Sequence;
                events = 0;
                inRange = 0;
                keyIds.Clear();
            }
            events++;
            inRange += request.InRange(e.Header.RecordedAt) ? 1 : 0;
            if (e.Header.Type == EventTypes.Checkpoint && e.Clear.TryGetValue("signingKeyId", out var keyId))
            {
                keyIds.Add(keyId);
            }
        }
        return (first, events, inRange, [.. keyIds.Order(StringComparer.Ordinal)]);
    }

    /// <summary>The bundle with the manifest signature's value blanked and each pseudonym numbered in order of first appearance.</summary>
    private static string WithoutRandom(string bundle)
    {
        var lines = bundle.Split('\n');
        Assert.True(lines.Length > 3, bundle);
        lines[1] = SignatureValue().Replace(lines[1], "\"signature\":\"-\"");
        var pseudonyms = new Dictionary<string, string>(StringComparer.Ordinal);
        return Pseudonym().Replace(string.Join('\n', lines), m =>
        {
            if (!pseudonyms.TryGetValue(m.Groups[1].Value, out var n))
            {
                n = "P" + pseudonyms.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                pseudonyms[m.Groups[1].Value] = n;
            }
            return $"\"pseudonym\":\"{n}\"";
        });
    }

    private async Task AssertVerifiesAsync(string bundle)
    {
        var key = await _world.Exports.GetSigningKeyAsync(default);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(bundle));
        var verification = await AuditBundleVerifier.VerifyAsync(stream, key.PublicKeyPem, null, default);
        Assert.True(verification.Ok, verification.Problem?.ToString());
    }

    [GeneratedRegex("\"signature\":\"[^\"]*\"")]
    private static partial Regex SignatureValue();

    [GeneratedRegex("\"pseudonym\":\"(C-[0-9A-F]{10})\"")]
    private static partial Regex Pseudonym();
}

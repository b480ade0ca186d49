using CsvHelper;
using WelfareAudit.Core.Audit;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>The CSV export read back with CsvHelper: one row per search with its follow-up.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CsvExportTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly AuditWorld _world = new(azurite);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    public static List<Dictionary<string, string>> ReadBack(string path)
    {
        using var reader = CsvReader.Create(File.ReadAllBytes(path), new CsvReaderOptions { HasHeader = true });
        var headers = reader.Headers.ToList();
        Assert.Equal(AuditCsvWriter.Header, headers);
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < headers.Count; i++)
            {
                values[headers[i]] = row.GetString(i) ?? "";
            }
            rows.Add(values);
        }
        return rows;
    }

    [Fact]
    public async Task Csv_SearchesWithFollowUp_OneRowEachWithStatusRemindersAndTimeToDiscussion()
    {
        var discussed = await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "=HYPERLINK(\"x\")");
        _world.Time.Advance(TimeSpan.FromHours(1));
        var open = await _world.SearchWithFollowUpAsync(AuditWorld.TherapistB, "CLIENT-OPEN", discuss: false);

        var path = await _world.ExportAsync(new AuditExportRequest(null, null, null, AuditFormat.Csv, false), "searches.csv");

        var rows = ReadBack(path);
        Assert.Equal(2, rows.Count);
        var a = rows.Single(r => r["searchId"] == discussed.Id.ToString("D"));
        Assert.Equal("discussed", a["status"]);
        Assert.Equal("1", a["remindersSent"]);
        Assert.Equal("1", a["amendments"]);
        Assert.Equal("high", a["riskLevel"]);
        Assert.Equal("false", a["overdue"]);
        Assert.Equal("2.0", a["hoursToDiscussion"]);
        Assert.Equal(AuditWorld.TherapistA, a["therapist"]);
        // A client code that a spreadsheet would run as a formula is escaped, not executed; the column
        // shows the code in force (the world amends it to code + "-X").
        Assert.NotEqual('=', a["client"][0]);
        Assert.EndsWith("=HYPERLINK(\"x\")-X", a["client"], StringComparison.Ordinal);
        var b = rows.Single(r => r["searchId"] == open.Id.ToString("D"));
        Assert.Equal("awaiting-discussion", b["status"]);
        Assert.Equal("", b["hoursToDiscussion"]);
        Assert.Equal("CLIENT-OPEN-X", b["client"]);
    }

    [Fact]
    public async Task Csv_WithheldClientCodes_PseudonymsOnly()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-SECRET");

        var path = await _world.ExportAsync(new AuditExportRequest(null, null, null, AuditFormat.Csv, true), "withheld.csv");

        var row = Assert.Single(ReadBack(path));
        Assert.StartsWith("C-", row["client"], StringComparison.Ordinal);
        Assert.Equal("true", row["clientIsPseudonym"]);
        Assert.DoesNotContain("CLIENT-SECRET", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "false")]
    [InlineData(10, "true")]
    public async Task Csv_NotDiscussed_OverdueOnceTheNextSessionHasPassed(int daysLater, string overdue)
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-LATE", discuss: false);
        _world.Time.Advance(TimeSpan.FromDays(daysLater));

        var path = await _world.ExportAsync(new AuditExportRequest(null, null, null, AuditFormat.Csv, false), "late.csv");

        Assert.Equal(overdue, Assert.Single(ReadBack(path))["overdue"]);
    }
}

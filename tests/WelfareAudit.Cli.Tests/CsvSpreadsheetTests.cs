using WelfareAudit.Testing;
using WelfareAudit.Core.Audit;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// The CSV export opened in a real spreadsheet (headless LibreOffice Calc, formulas evaluated as Excel does)
/// the way users in different locales open it: comma or semicolon as list separator, a reader that honours
/// quotes and one that ignores them. Whatever the reading, no cell is a formula.
/// </summary>
[Collection(SpreadsheetCollection.Name)]
public sealed class CsvSpreadsheetTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>Hostile client codes and the text the comma reading shows: the logged text with an apostrophe before each formula start.</summary>
    public static readonly (string Logged, string Shown)[] Hostile =
    [
        ("=1+1", "'=1+1"),
        ("a;=HYPERLINK(\"http://x\")", "a;'=HYPERLINK(\"http://x\")"),
        ("a,=cmd|' /C calc'!A0", "a,'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1+1", "'\t'=1+1"),
        ("\r=2+2", "'\n'=2+2"), // a spreadsheet shows a CR inside a field as a line break
        ("＝1+1", "'＝1+1"),
        ("＋1＋1", "'＋1＋1"),
        (" =3+3", " '=3+3"),
        ("a;\"=4+4\"", "a;\"'=4+4\""),
        ("a;  -5+5", "a;  '-5+5"),
        ("a|@SUM(6)", "a|'@SUM(6)"),
        ("CLIENT-7; b, c", "CLIENT-7; b, c"),
    ];

    private static readonly CsvImport[] Imports =
    [
        new("comma, quotes honoured", ',', HonoursQuotes: true, TrimSpaces: false),
        new("semicolon, quotes honoured, spaces trimmed", ';', HonoursQuotes: true, TrimSpaces: true),
        new("semicolon, quotes ignored, spaces trimmed", ';', HonoursQuotes: false, TrimSpaces: true),
    ];

    private readonly AuditWorld _world = new(azurite);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Csv_HostileClientCodes_NoCellIsAFormulaInAnyLocale()
    {
        foreach (var (logged, _) in Hostile)
        {
            await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, logged, discuss: false);
        }
        var path = await _world.ExportAsync(new AuditExportRequest(null, null, null, AuditFormat.Csv, false), "hostile.csv");

        var sheets = await Task.WhenAll(Imports.Select(i => LibreOfficeCalc.OpenCsvAsync(path, i)));

        for (var i = 0; i < Imports.Length; i++)
        {
            var formulas = sheets[i].SelectMany(r => r).Where(c => c.Formula is not null).Select(c => c.Formula).ToList();
            Assert.True(formulas.Count == 0, $"{Imports[i].Name}: formulas {string.Join(" | ", formulas)}");
        }

        // Read as written (comma, quotes): one row per search, and every cell shows the text of its field.
        var comma = sheets[0];
        var fields = CsvExportTests.ReadBack(path);
        Assert.Equal(AuditCsvWriter.Header, comma[0].Select(c => c.Text));
        Assert.Equal(Hostile.Length, comma.Count - 1);
        var clientColumn = Array.IndexOf(AuditCsvWriter.Header, "client");
        var shown = comma.Skip(1).Select(r => r[clientColumn].Text).ToList();
        // The client column shows the code in force: SearchWithFollowUpAsync amends each code to "<code>-X".
        Assert.Equal(Hostile.Select(h => h.Shown + "-X").Order(StringComparer.Ordinal), shown.Order(StringComparer.Ordinal));
        foreach (var (row, cells) in fields.Zip(comma.Skip(1)))
        {
            // A sheet row ends at its last non-empty cell (an unreviewed search leaves the review columns empty).
            Assert.Equal(AuditCsvWriter.Header.Select(h => row[h].Replace('\r', '\n')),
                cells.Select(c => c.Text).Concat(Enumerable.Repeat("", AuditCsvWriter.Header.Length - cells.Count)));
        }

        // Read with a reader that ignores quotes: every cell is a piece of the file between separators, as text.
        var pieces = File.ReadAllText(path).Split([';', '\r', '\n']).Select(p => p.Trim(' ')).Where(p => p.Length > 0);
        Assert.Equal(pieces, sheets[2].SelectMany(r => r).Select(c => c.Text).Where(t => t.Length > 0));
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace WelfareAudit.Cli.Tests;

/// <summary>One cell of a sheet as LibreOffice Calc read it: its shown text, its value type, and its formula if it is one.</summary>
public sealed record SheetCell(string Text, string? ValueType, string? Formula);

/// <summary>
/// How a spreadsheet user opens a CSV file: the list separator of their locale, whether the reader honours
/// double quotes, whether it trims spaces. Formulas are always evaluated, as Excel does when it opens a CSV.
/// </summary>
public sealed record CsvImport(string Name, char Separator, bool HonoursQuotes, bool TrimSpaces)
{
    /// <summary>
    /// The CSV filter options of LibreOffice (tokens: separator, text delimiter, charset 76 = UTF-8, first line,
    /// column formats, language 1033, quoted field as text, detect special numbers, -, -, trim spaces, -, evaluate formulas).
    /// </summary>
    public string FilterOptions => string.Create(CultureInfo.InvariantCulture,
        $"CSV:{(int)Separator},{(HonoursQuotes ? "34" : "")},76,1,,1033,false,false,false,false,{(TrimSpaces ? "true" : "false")},-1,true");
}

/// <summary>
/// Headless LibreOffice Calc (Debian <c>libreoffice-calc</c>) as a real spreadsheet: converts a CSV file to
/// flat ODF (FODS) under a given import and reads the cells back. Each run gets its own user profile. If
/// LibreOffice is not installed the test FAILS saying how to install it: a test never skips.
/// </summary>
public static class LibreOfficeCalc
{
    private static readonly XNamespace Table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
    private static readonly XNamespace Text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
    private static readonly XNamespace Office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";

    public static string ExecutablePath()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, "soffice");
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }
        Assert.Fail("LibreOffice (soffice) is missing: the CSV export is checked in a real spreadsheet. Install it with: apt-get install -y libreoffice-calc");
        return "";
    }

    /// <summary>Opens <paramref name="csvPath"/> as <paramref name="import"/> says; returns the rows of the first sheet, trailing empty cells dropped.</summary>
    public static async Task<IReadOnlyList<IReadOnlyList<SheetCell>>> OpenCsvAsync(string csvPath, CsvImport import)
    {
        var soffice = ExecutablePath();
        var work = Directory.CreateTempSubdirectory("wa-lo-").FullName;
        try
        {
            var input = Path.Combine(work, "export.csv");
            File.Copy(csvPath, input);
            var start = new ProcessStartInfo(soffice)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
            {
                $"-env:UserInstallation=file://{work}/profile", "--headless", "--norestore", "--nologo",
                $"--infilter={import.FilterOptions}", "--convert-to", "fods", "--outdir", work, input,
            })
            {
                start.ArgumentList.Add(arg);
            }
            start.Environment["HOME"] = work;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"LibreOffice did not convert the CSV ({import.Name}) within 3 minutes.");
            }
            var output = Path.Combine(work, "export.fods");
            Assert.True(File.Exists(output),
                $"LibreOffice did not convert the CSV ({import.Name}), exit code {process.ExitCode}: {await stdout} {await stderr}");
            return ReadSheet(XDocument.Load(output));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static List<IReadOnlyList<SheetCell>> ReadSheet(XDocument document)
    {
        var sheet = document.Descendants(Table + "table").First();
        var rows = new List<IReadOnlyList<SheetCell>>();
        foreach (var row in sheet.Descendants(Table + "table-row"))
        {
            var cells = new List<SheetCell>();
            foreach (var cell in row.Elements(Table + "table-cell"))
            {
                var repeated = int.Parse((string?)cell.Attribute(Table + "number-columns-repeated") ?? "1", CultureInfo.InvariantCulture);
                var value = new SheetCell(
                    string.Join("\n", cell.Elements(Text + "p").Select(ParagraphText)),
                    (string?)cell.Attribute(Office + "value-type"),
                    (string?)cell.Attribute(Table + "formula"));
                cells.AddRange(Enumerable.Repeat(value, Math.Min(repeated, 1024)));
            }
            while (cells.Count > 0 && cells[^1] is { Text: "", Formula: null })
            {
                cells.RemoveAt(cells.Count - 1);
            }
            if (cells.Count > 0)
            {
                rows.Add(cells);
            }
        }
        return rows;
    }

    /// <summary>The text of a paragraph, with the ODF elements for spaces, tabs and line breaks turned back into characters.</summary>
    private static string ParagraphText(XElement paragraph)
    {
        var text = new StringBuilder();
        foreach (var node in paragraph.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XElement e when e.Name == Text + "s":
                    text.Append(' ', int.Parse((string?)e.Attribute(Text + "c") ?? "1", CultureInfo.InvariantCulture));
                    break;
                case XElement e when e.Name == Text + "tab":
                    text.Append('\t');
                    break;
                case XElement e when e.Name == Text + "line-break":
                    text.Append('\n');
                    break;
                case XElement e:
                    text.Append(ParagraphText(e));
                    break;
            }
        }
        return text.ToString();
    }
}

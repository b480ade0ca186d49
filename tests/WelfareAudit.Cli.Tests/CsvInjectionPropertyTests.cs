using System.Text;
using FsCheck;
using FsCheck.Fluent;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// The CSV export against every reading a spreadsheet might make of it, for any client code: split at any one
/// list separator and at line breaks, quotes ignored (a reader that honours them only starts cells at some of
/// those places), leading spaces and quotes dropped — no piece starts like a formula. And the writer adds
/// nothing but apostrophes: removing them gives back the text that was logged, without its own apostrophes.
/// </summary>
public sealed class CsvInjectionPropertyTests
{
    /// <summary>Characters that start formulas, separate cells, or are stripped in front of a cell, with some plain ones.</summary>
    private const string Alphabet = "=+-@\t\r\n ,;|\"'aZ0（＝＋－＠，；｜،؛\u00A0\u3000\v";

    private static readonly char[] FormulaStartsAfterStripping = ['=', '+', '-', '@', '＝', '＋', '－', '＠', '\t'];

    private static readonly AuditSearchRow Row = new("S-1", Guid.Parse("6a0f8f6e-5a3b-4b8e-9d55-0d3f7f0a9b11"), "0b8f6f2e-1a51-4c3e-9d7a-6f1f9a1b2c01",
        "C", false, RiskLevel.High, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "awaiting-discussion", null, null, 0, 0, false, 1,
        new CrisisSearchEntry("C", DateTimeOffset.UnixEpoch, new CrisisDetails("d", RiskLevel.High, []), "j", new SearchScope([], []), null, null, null, null));

    private static Gen<string> HostileText() =>
        Gen.Choose(0, 14).SelectMany(n => Gen.ArrayOf(Gen.Elements(Alphabet.ToCharArray()), n)).Select(chars => new string(chars));

    [Fact]
    public void Csv_AnyClientCode_NoPieceStartsLikeAFormulaUnderAnySeparator()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2_000).WithQuietOnSuccess(true), Prop.ForAll(HostileText().ToArbitrary(), client =>
        {
            var csv = Write(client);
            foreach (var separator in SpreadsheetText.Separators)
            {
                foreach (var piece in csv.Split([separator, '\r', '\n']))
                {
                    // Whether the reader drops tabs in front of a cell or not, what follows is no formula.
                    Assert.False(StartsLikeAFormula(piece, dropTabs: true) || StartsLikeAFormula(piece, dropTabs: false),
                        $"separator U+{(int)separator:X4}: piece \"{piece}\" of {csv}");
                }
            }
        }));
    }

    [Fact]
    public void Neutralise_AnyText_AddsOnlyApostrophes()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2_000).WithQuietOnSuccess(true), Prop.ForAll(HostileText().ToArbitrary(), text =>
            Assert.Equal(text.Replace("'", "", StringComparison.Ordinal), SpreadsheetText.Neutralise(text).Replace("'", "", StringComparison.Ordinal))));
    }

    [Theory]
    [InlineData("CLIENT-7", "CLIENT-7")]
    [InlineData("a; b, c", "a; b, c")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("a;=HYPERLINK(\"http://x\")", "a;'=HYPERLINK(\"http://x\")")]
    [InlineData("a，＝1", "a，'＝1")]
    [InlineData("\r\n=1", "'\r\n'=1")]
    [InlineData("a\r\nb", "a\r\nb")]
    [InlineData(" \"=1\"", " \"'=1\"")]
    public void Neutralise_Examples(string logged, string written) => Assert.Equal(written, SpreadsheetText.Neutralise(logged));

    private static bool StartsLikeAFormula(string piece, bool dropTabs)
    {
        var start = piece.AsSpan().TrimStart(dropTabs ? "\" \t\u00A0\u3000\v" : "\" \u00A0\u3000\v");
        return !start.IsEmpty && FormulaStartsAfterStripping.Contains(start[0]);
    }

    private static string Write(string client)
    {
        using var output = new MemoryStream();
        AuditCsvWriter.WriteAsync(new[] { Row with { Client = client } }.ToAsyncEnumerable(), output, default).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(output.ToArray());
    }
}

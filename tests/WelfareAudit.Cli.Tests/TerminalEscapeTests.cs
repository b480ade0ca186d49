using System.Globalization;
using WelfareAudit.Core.Audit;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// Issue 11.5: a hostile bundle must not be able to paint on the board's terminal. Everything printed that came
/// from the file is escaped, and the verdict line is the CLI's own words.
/// </summary>
public sealed class TerminalEscapeTests : IDisposable
{
    private const string Escapes = "\u001b[2K\u001b[1A\rOK: everything verified\u001b[0m";
    private const string Bidi = "\u202eKO\u202c\u2066x\u2069\u200e\u200f\u061c\u200b\u2028\u2029\u0085\u007f";

    private readonly string _folder = Directory.CreateTempSubdirectory("wa-escape-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Verify_HostileLedgerIdAndNames_PrintsThemEscaped_VerdictIsExact()
    {
        using var forge = new BundleForge { LedgerId = "L" + Escapes, GeneratedBy = "sup" + Bidi, KeyId = "k" + Escapes };

        var run = await CliRun.RunAsync("verify", forge.WriteTo(_folder));

        Assert.Equal(CliApp.Ok, run.ExitCode);
        Assert.Equal("OK: 2 events in 1 ledger(s) verified.", FirstLine(run.Out));
        AssertNothingRaw(run);
        Assert.Contains(@"L\u{1b}[2K\u{1b}[1A\u{d}OK: everything verified\u{1b}[0m", run.Out, StringComparison.Ordinal);
        Assert.Contains(@"sup\u{202e}KO\u{202c}\u{2066}x\u{2069}\u{200e}\u{200f}\u{61c}\u{200b}\u{2028}\u{2029}\u{85}\u{7f}", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_HostileFieldNameInAFinding_PrintsItEscaped_VerdictIsExact()
    {
        using var forge = new BundleForge { LedgerId = "L\r" + Bidi };
        forge.Events.Add(new("EntryAmended", new() { ["field"] = "note" }, [], ["x" + Escapes + Bidi]));

        var run = await CliRun.RunAsync("verify", forge.WriteTo(_folder));

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.Equal("FAILED: ManifestMismatch", FirstLine(run.Out));
        AssertNothingRaw(run);
        Assert.Contains(@"x\u{1b}[2K", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_HostileMessageOfAnErrorLine_PrintsItEscaped_VerdictIsExact()
    {
        using var forge = new BundleForge { ErrorDetail = "fine" + Escapes + "\nOK: 2 events" + Bidi };

        var run = await CliRun.RunAsync("verify", forge.WriteTo(_folder));

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.Equal("FAILED: MarkedIncomplete", FirstLine(run.Out));
        AssertNothingRaw(run);
        Assert.Contains(@"fine\u{1b}[2K", run.Out, StringComparison.Ordinal);
        Assert.Single(run.Out.Split('\n'), l => l.StartsWith("OK", StringComparison.Ordinal) || l.StartsWith("FAILED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_HostileFileName_PrintsItEscaped()
    {
        var run = await CliRun.RunAsync("verify", Path.Combine(_folder, "missing" + Escapes + ".jsonl"));

        Assert.Equal(CliApp.UsageError, run.ExitCode);
        AssertNothingRaw(run);
    }

    [Theory]
    [InlineData("\u001b", @"\u{1b}")]
    [InlineData("\r\n\t", @"\u{d}\u{a}\u{9}")]
    [InlineData("\u007f\u0080\u009b", @"\u{7f}\u{80}\u{9b}")]
    [InlineData("\u202a\u202b\u202c\u202d\u202e", @"\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}")]
    [InlineData("\u2066\u2067\u2068\u2069", @"\u{2066}\u{2067}\u{2068}\u{2069}")]
    [InlineData("\u200e\u200f\u061c", @"\u{200e}\u{200f}\u{61c}")]
    [InlineData("\u200b\u200c\u200d\u2060\ufeff\u00ad", @"\u{200b}\u{200c}\u{200d}\u{2060}\u{feff}\u{ad}")]
    [InlineData("\u2028\u2029", @"\u{2028}\u{2029}")]
    [InlineData("\ue000\U000E0001", @"\u{e000}\u{e0001}")]
    [InlineData(@"C:\u{1b}", @"C:\\u{1b}")]
    [InlineData("Zoë 😀 ledger-1", "Zoë 😀 ledger-1")]
    public void Escape_EveryKindOfHostileCharacter_BecomesVisible(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Escape(text));

    [Fact]
    public void Escape_LoneSurrogates_BecomeVisible() =>
        Assert.Equal(@"a\u{d800}b\u{dc00}", TerminalText.Escape("a" + (char)0xD800 + "b" + (char)0xDC00));

    private static string FirstLine(string text) => text.Split('\n')[0];

    /// <summary>No character a terminal acts on or that reorders text, in stdout or stderr (the newlines the CLI writes itself aside).</summary>
    private static void AssertNothingRaw(CliRun run)
    {
        foreach (var text in new[] { run.Out, run.Error })
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                var category = CharUnicodeInfo.GetUnicodeCategory(c);
                Assert.False(c != '\n' && (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[++i]))
                    || category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator),
                    $"U+{(int)c:X4} at {i.ToString(CultureInfo.InvariantCulture)}");
            }
        }
    }
}

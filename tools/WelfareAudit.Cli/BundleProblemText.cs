using System.Globalization;
using WelfareAudit.Core.Audit;

namespace WelfareAudit.Cli;

/// <summary>The lines after a <c>FAILED: &lt;problem&gt;</c> verdict: where (ledger, sequence, line) and what, escaped.</summary>
internal static class BundleProblemText
{
    public static void Write(TextWriter stdout, BundleVerification result)
    {
        var problem = result.Problem!;
        var where = new List<string>();
        if (problem.LedgerId is not null)
        {
            where.Add($"ledger {TerminalText.Escape(problem.LedgerId)}");
        }
        if (problem.Sequence is { } sequence)
        {
            where.Add($"sequence {sequence.ToString(CultureInfo.InvariantCulture)}");
        }
        if (problem.Line is { } line)
        {
            where.Add($"line {line.ToString(CultureInfo.InvariantCulture)}");
        }
        if (where.Count > 0)
        {
            stdout.WriteLine($"  where: {string.Join(", ", where)}");
        }
        stdout.WriteLine($"  detail: {TerminalText.Escape(problem.Detail)}");
        stdout.WriteLine($"({result.Events.ToString(CultureInfo.InvariantCulture)} events were verified before the problem.)");
    }
}

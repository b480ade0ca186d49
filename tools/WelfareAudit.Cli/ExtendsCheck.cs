using System.Globalization;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Audit.Verification;

namespace WelfareAudit.Cli;

/// <summary>
/// <c>verify NEW --extends OLD</c>: once NEW has verified, OLD is verified too (against <c>--extends-public-key</c>, else
/// the key given for NEW), both are read again for their chain hashes, and Core's <see cref="ExtendsRule"/> decides,
/// per ledger of OLD, whether NEW contains its history unchanged (docs/ledger-format.md §16).
/// </summary>
internal static class ExtendsCheck
{
    /// <summary>OLD's own verification when it fails (then there is no comparison), else the rule's answer.</summary>
    public sealed record Outcome(BundleVerification Old, ExtendsVerification? Extension);

    public static async Task<Outcome> RunAsync(string newPath, string oldPath, string? oldPinnedPem, TextWriter stderr, CancellationToken ct)
    {
        BundleVerification old;
        await using (var file = BundleFile.Open(oldPath))
        {
            old = await AuditBundleVerifier.VerifyAsync(file, oldPinnedPem,
                n => stderr.WriteLine($"verified {n.ToString("N0", CultureInfo.InvariantCulture)} events of the earlier bundle..."), ct);
        }
        if (!old.Ok)
        {
            return new Outcome(old, null);
        }
        BundleHistories oldHistories, newHistories;
        await using (var file = BundleFile.Open(oldPath))
        {
            oldHistories = await BundleHistories.ReadAsync(file, ct);
        }
        await using (var file = BundleFile.Open(newPath))
        {
            newHistories = await BundleHistories.ReadAsync(file, ct);
        }
        return new Outcome(old, ExtendsRule.Check(oldHistories.Ledgers, newHistories.Ledgers, newHistories.Excluded));
    }

    /// <summary>A refusal: the verdict line (the rule's kind), then where and why, then every ledger.</summary>
    public static void WriteRefusal(TextWriter stdout, ExtendsVerification result)
    {
        var refusal = result.FirstRefusal!;
        stdout.WriteLine($"REFUSED: {refusal.Kind}");
        stdout.WriteLine("  The new bundle verifies on its own, but it does not extend the earlier export (--extends).");
        stdout.WriteLine($"  where: ledger {TerminalText.Escape(refusal.LedgerId)}{(refusal.Sequence is { } s ? $", sequence {s.ToString(CultureInfo.InvariantCulture)}" : "")}");
        stdout.WriteLine($"  detail: {refusal.Detail}");
        WriteLedgers(stdout, result);
    }

    /// <summary>Each ledger's answer, one line each.</summary>
    public static void WriteLedgers(TextWriter stdout, ExtendsVerification result)
    {
        foreach (var l in result.Ledgers)
        {
            stdout.WriteLine($"  extends: ledger {TerminalText.Escape(l.LedgerId)}: {l.Kind}. {l.Detail}");
        }
    }
}

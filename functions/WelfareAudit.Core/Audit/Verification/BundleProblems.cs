namespace WelfareAudit.Core.Audit.Verification;

/// <summary>Problems found where no line is at hand (the end of the file, a ledger's part as a whole).</summary>
internal static class BundleProblems
{
    public static BundleProblemException Fail(BundleProblemKind kind, string? ledgerId, long? sequence, string detail) =>
        new(new BundleProblem(kind, ledgerId, sequence, detail));
}

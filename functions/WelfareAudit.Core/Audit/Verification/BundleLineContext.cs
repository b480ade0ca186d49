namespace WelfareAudit.Core.Audit.Verification;

/// <summary>Where in the bundle a problem is found: the line, and the ledger and sequence when the line is an event.</summary>
internal readonly record struct BundleLineContext(long Line, string? LedgerId = null, long? Sequence = null)
{
    public BundleProblemException Malformed(string detail) => Fail(BundleProblemKind.Malformed, detail);

    public BundleProblemException Fail(BundleProblemKind kind, string detail) =>
        new(new BundleProblem(kind, LedgerId, Sequence, detail) { Line = Line });
}

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>Where in the bundle a problem is found: the line, and the ledger and sequence when the line is an event.</summary>
internal readonly record struct BundleLineContext(long Line, string? LedgerId = null, long? Sequence = null)
{
    public BundleProblemException Malformed(string detail) => Fail(BundleProblemKind.Malformed, detail);

    public BundleProblemException Fail(BundleProblemKind kind, string detail) =>
        new(new BundleProblem(kind, LedgerId, Sequence, detail) { Line = Line });
}

/// <summary>Stops verification with the first problem found.</summary>
internal sealed class BundleProblemException(BundleProblem problem) : Exception(problem.Detail)
{
    public BundleProblem Problem { get; } = problem;
}

/// <summary>Problems found where no line is at hand (the end of the file, a ledger's part as a whole).</summary>
internal static class BundleProblems
{
    public static BundleProblemException Fail(BundleProblemKind kind, string? ledgerId, long? sequence, string detail) =>
        new(new BundleProblem(kind, ledgerId, sequence, detail));
}

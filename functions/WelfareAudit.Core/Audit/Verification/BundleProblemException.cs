namespace WelfareAudit.Core.Audit.Verification;

/// <summary>Stops verification with the first problem found.</summary>
internal sealed class BundleProblemException(BundleProblem problem) : Exception(problem.Detail)
{
    public BundleProblem Problem { get; } = problem;
}

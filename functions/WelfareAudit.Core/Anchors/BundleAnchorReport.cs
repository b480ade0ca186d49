using WelfareAudit.Core.Audit;

namespace WelfareAudit.Core.Anchors;

/// <summary>
/// What <see cref="BundleAnchorCheck"/> found: the findings (fork, rollback, missing ledger, bad anchor), how many
/// anchors were compared, how many could not be (<see cref="Skipped"/>, each with its reason), and the anchors whose
/// signature could not be checked because the bundle does not carry their key (compared all the same).
/// </summary>
public sealed record BundleAnchorReport(IReadOnlyList<BundleProblem> Findings, int Compared, IReadOnlyList<(string Name, string Reason)> Skipped, IReadOnlyList<string> UncheckedSignatures)
{
    public bool Ok => Findings.Count == 0;
}

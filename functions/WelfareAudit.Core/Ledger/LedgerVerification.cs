namespace WelfareAudit.Core.Ledger;

/// <summary>The result of verifying one ledger.</summary>
public sealed record LedgerVerification(string LedgerId, long Events, string HeadHash, LedgerProblem? Problem)
{
    public bool Ok => Problem is null;

    /// <summary>How the ledger stands against its anchored checkpoints; null when no anchor container is configured.</summary>
    public Anchors.AnchorSummary? Anchors { get; init; }
}

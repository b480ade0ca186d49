namespace WelfareAudit.Core.Anchors;

/// <summary>What comparing a chain with its anchored checkpoints found (same names in <c>LedgerProblemKind</c> and <c>BundleProblemKind</c>).</summary>
public enum AnchorFindingKind
{
    /// <summary>Another hash at an anchored sequence.</summary>
    Fork,

    /// <summary>The chain ends before an anchored sequence.</summary>
    Rollback,

    /// <summary>An anchored ledger is not there at all.</summary>
    MissingLedger,
}

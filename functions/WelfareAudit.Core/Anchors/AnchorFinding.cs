namespace WelfareAudit.Core.Anchors;

/// <summary>One disagreement between a chain and an anchored checkpoint, naming the checkpoint (ledger, sequence, blob).</summary>
public sealed record AnchorFinding(AnchorFindingKind Kind, AnchorName Anchor, string Detail);

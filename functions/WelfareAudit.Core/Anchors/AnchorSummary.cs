namespace WelfareAudit.Core.Anchors;

/// <summary>
/// A ledger against its anchored checkpoints: how many anchors it has, the highest sequence one signs, and how many
/// checkpoints in the chain sign a sequence above that one (written to the ledger but not yet anchored: the health
/// signal; the next daily checkpoint run anchors them). <see cref="Unanchored"/> is null when it was not counted
/// (the ledger failed verification first).
/// </summary>
public sealed record AnchorSummary(int Anchored, long? LatestSequence, int? Unanchored);

namespace WelfareAudit.Core.Witness;

/// <summary>Where a cosignature landed: the ledger, the sequence it cosigns, and the WitnessCosigned event that records it.</summary>
public sealed record RecordedCosignature(string LedgerId, long TreeSize, long Sequence, string Hash, DateTimeOffset RecordedAt, bool Replayed);

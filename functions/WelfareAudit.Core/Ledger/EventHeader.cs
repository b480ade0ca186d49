namespace WelfareAudit.Core.Ledger;

/// <summary>The clear header of every event.</summary>
public sealed record EventHeader(string LedgerId, long Sequence, string Type, DateTimeOffset RecordedAt, string Actor);

using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit;

/// <summary>A checkpoint that was appended: the signed statement and where its event landed.</summary>
public sealed record CheckpointRecord(string LedgerId, long Sequence, Checkpoint Checkpoint);

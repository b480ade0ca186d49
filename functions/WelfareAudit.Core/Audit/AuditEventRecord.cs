using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// An event as the chain sees it: the clear header and fields, the per-field commitments, the link and
/// the hash; and, when it was asked for, every sensitive field opened (value and salt), checked against
/// its commitment. That is exactly what a bundle needs to let anyone recompute the chain.
/// </summary>
public sealed record AuditEventRecord(
    EventHeader Header,
    IReadOnlyDictionary<string, string> Clear,
    IReadOnlyDictionary<string, byte[]> Commitments,
    IReadOnlyDictionary<string, FieldOpening>? Opened,
    string PrevHash,
    string Hash);

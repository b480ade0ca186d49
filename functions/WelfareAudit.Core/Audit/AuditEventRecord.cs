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
    string Hash)
{
    /// <summary>
    /// Whether this event continues a chain walked from storage: it is the <paramref name="expectedSequence"/>th event,
    /// links to <paramref name="previousHash"/> (null: not checked, the walk starts mid-chain) and hashes to its own
    /// <see cref="Hash"/> (docs/ledger-format.md §7). Null when it does.
    /// </summary>
    public ChainBreak? BreakAt(long expectedSequence, string? previousHash) =>
        Header.Sequence != expectedSequence ? ChainBreak.Missing
        : previousHash is not null && PrevHash != previousHash ? ChainBreak.Unlinked
        : ChainHash.ToHex(ChainHash.Next(Convert.FromHexString(PrevHash), CanonicalEvent.Encode(Header, Clear, Commitments))) != Hash ? ChainBreak.HashMismatch
        : null;
}

using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit;

/// <summary>A sensitive field opened for an audit: its value and the salt of its commitment.</summary>
public sealed record FieldOpening(string Value, byte[] Salt);

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

/// <summary>Reads a ledger's events for an audit, in sequence order, streaming (memory does not grow with the range).</summary>
public interface IAuditLedgerReader
{
    /// <summary>
    /// Events <paramref name="fromSequence"/> through <paramref name="toSequence"/>. Sensitive fields are
    /// decrypted only for the events <paramref name="open"/> selects (decryption is the expensive part).
    /// </summary>
    IAsyncEnumerable<AuditEventRecord> ReadAsync(string ledgerId, long fromSequence, long toSequence, Func<EventHeader, bool> open, CancellationToken cancellationToken);
}

/// <summary>A ledger failed verification in storage: an export refuses to present it as intact.</summary>
public sealed class LedgerTamperedException(LedgerVerification verification)
    : Exception($"Ledger {verification.LedgerId} failed verification at sequence {verification.Problem?.Sequence}: {verification.Problem?.Kind}.")
{
    public LedgerVerification Verification { get; } = verification;
}

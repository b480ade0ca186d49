using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit;

/// <summary>Reads a ledger's events for an audit, in sequence order, streaming (memory does not grow with the range).</summary>
public interface IAuditLedgerReader
{
    /// <summary>
    /// Events <paramref name="fromSequence"/> through <paramref name="toSequence"/>. Sensitive fields are
    /// decrypted only for the events <paramref name="open"/> selects (decryption is the expensive part).
    /// </summary>
    IAsyncEnumerable<AuditEventRecord> ReadAsync(string ledgerId, long fromSequence, long toSequence, Func<EventHeader, bool> open, CancellationToken cancellationToken);
}

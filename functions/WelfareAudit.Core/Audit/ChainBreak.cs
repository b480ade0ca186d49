namespace WelfareAudit.Core.Audit;

/// <summary>How a walk over stored events (<see cref="AuditEventRecord"/>) finds the chain broken at the expected sequence.</summary>
public enum ChainBreak
{
    /// <summary>The event at the expected sequence is not there (another sequence came).</summary>
    Missing,

    /// <summary>The event does not link to its predecessor's hash.</summary>
    Unlinked,

    /// <summary>The event's content does not hash to its stored hash.</summary>
    HashMismatch,
}

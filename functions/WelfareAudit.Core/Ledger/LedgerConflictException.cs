namespace WelfareAudit.Core.Ledger;

/// <summary>Another writer appended first; the caller re-reads and retries.</summary>
public sealed class LedgerConflictException(string message, Exception? inner = null) : Exception(message, inner);

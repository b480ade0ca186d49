namespace WelfareAudit.Core.Ledger;

/// <summary>Storage (or the key store) cannot be reached now; the operation may be retried later.</summary>
public sealed class LedgerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

namespace WelfareAudit.Core.Ledger;

/// <summary>A stored row would exceed a limit of Azure Table storage; names the property, never its value.</summary>
public sealed class StorageLimitException(string message) : Exception(message);

namespace WelfareAudit.Core.Ledger;

/// <summary>An event read back from a ledger, decrypted.</summary>
public sealed record RecordedEvent(EventHeader Header, LedgerEvent Event, string Hash);

using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Accounting;

/// <summary>
/// One ledger the accounting covered: its head when it was read (chain checked from the genesis to it, without
/// decrypting), the sequences of this client's events in it (the only ones decrypted or disclosed), how many of its
/// searches are about the client, and the keys that signed the checkpoints inside it.
/// </summary>
public sealed record AccountingLedger(string LedgerId, LedgerHead? Head, IReadOnlySet<long> ClientSequences, long Searches, IReadOnlyList<string> CheckpointKeyIds);

namespace WelfareAudit.Core.Ledger;

/// <summary>The head of a ledger: its last sequence and hash.</summary>
public sealed record LedgerHead(string LedgerId, long Sequence, string Hash);

namespace WelfareAudit.Core.Ledger;

/// <summary>A ledger named as damaged, with the first problem found in it (no client data).</summary>
public sealed record LedgerFinding(string LedgerId, LedgerProblem Problem);

namespace WelfareAudit.Core.Ledger;

/// <summary>The first problem found, at a sequence. The detail never contains client data.</summary>
public sealed record LedgerProblem(long Sequence, LedgerProblemKind Kind, string Detail);

namespace WelfareAudit.Core.Witness;

/// <summary>The first witness problem found: the ledger, the sequence (the cosigned one, where there is one) and what.</summary>
public sealed record WitnessProblem(WitnessProblemKind Kind, string LedgerId, long? Sequence, string Detail);

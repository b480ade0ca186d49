namespace WelfareAudit.Core.Witness;

/// <summary>Why the witness will not cosign a ledger: the ledger, the sequence where it parts from what was cosigned before, and what.</summary>
public sealed record CosignRefusal(string LedgerId, long Sequence, string Reason);

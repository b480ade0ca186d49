namespace WelfareAudit.Core.Witness;

/// <summary>
/// One ledger under <c>verify --witness</c>: how many cosignatures by the key it carries, how many were checked
/// against the chain (head hash; root too when the part starts at sequence 1), and the newest cosigned head.
/// </summary>
public sealed record WitnessLedgerSummary(string LedgerId, int Cosignatures, int Checked, int BeforePart, long NewestTreeSize, DateTimeOffset NewestAt);

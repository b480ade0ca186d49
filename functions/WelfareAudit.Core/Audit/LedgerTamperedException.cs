using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit;

/// <summary>A ledger failed verification in storage: an export refuses to present it as intact.</summary>
public sealed class LedgerTamperedException(LedgerVerification verification)
    : Exception($"Ledger {verification.LedgerId} failed verification at sequence {verification.Problem?.Sequence}: {verification.Problem?.Kind}.")
{
    public LedgerVerification Verification { get; } = verification;
}

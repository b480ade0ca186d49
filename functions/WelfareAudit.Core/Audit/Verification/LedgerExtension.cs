namespace WelfareAudit.Core.Audit.Verification;

/// <summary>
/// The <c>--extends</c> rule's answer for one ledger. <see cref="Sequence"/> is where the exports part (the first
/// sequence they show differently; for <see cref="ExtensionKind.Truncated"/> the first one the newer export lost), or
/// for <see cref="ExtensionKind.Extends"/> the earlier export's head. <see cref="Detail"/> is in the rule's own words:
/// it holds no text from either file.
/// </summary>
public sealed record LedgerExtension(string LedgerId, ExtensionKind Kind, long? OldHead, long? NewHead, long? Sequence, string Detail)
{
    /// <summary>Whether this ledger is fine: the newer export extends the earlier one, or the ledger is new.</summary>
    public bool Ok => Kind is ExtensionKind.Extends or ExtensionKind.NewLedger;
}

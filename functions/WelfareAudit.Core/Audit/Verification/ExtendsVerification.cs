namespace WelfareAudit.Core.Audit.Verification;

/// <summary>The <c>--extends</c> rule over every ledger of two exports: the earlier one's first, then the ledgers only the newer one has.</summary>
public sealed record ExtendsVerification(IReadOnlyList<LedgerExtension> Ledgers)
{
    /// <summary>Whether every ledger of the earlier export is in the newer one, unchanged up to its head.</summary>
    public bool Ok => Ledgers.All(l => l.Ok);

    /// <summary>The first ledger that is not fine, in the earlier export's order; null when <see cref="Ok"/>.</summary>
    public LedgerExtension? FirstRefusal => Ledgers.FirstOrDefault(l => !l.Ok);
}

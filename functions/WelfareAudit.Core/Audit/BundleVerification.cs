namespace WelfareAudit.Core.Audit;

public sealed record BundleVerification(
    BundleProblem? Problem,
    string? GeneratedBy,
    DateTimeOffset? GeneratedAt,
    string? ManifestKeyId,
    bool KeyPinned,
    long Events,
    IReadOnlyList<BundleLedgerSummary> Ledgers,
    IReadOnlyList<BundleExcludedLedger>? Excluded = null,
    IReadOnlyList<string>? ClientIndexes = null)
{
    /// <summary>A client accounting bundle (docs/ledger-format.md §18): it disclosed the events of the client with these blind indexes only.</summary>
    public bool IsClientAccounting => ClientIndexes is not null;

    public bool Ok => Problem is null;

    /// <summary>Ledgers the signed manifest says the export left out because they failed verification in storage.</summary>
    public IReadOnlyList<BundleExcludedLedger> ExcludedLedgers => Excluded ?? [];
}

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>
/// The manifest line, read strictly. <see cref="LineText"/> is what its signature covers. <see cref="ClientIndexes"/> is set
/// for a client accounting bundle (docs/ledger-format.md §18): the client whose events it discloses.
/// </summary>
internal sealed record BundleManifest(
    string LineText,
    BundleLineContext At,
    DateTimeOffset GeneratedAt,
    string GeneratedBy,
    DateTimeOffset? From,
    DateTimeOffset? Until,
    bool WithholdsClientRef,
    string ManifestKeyId,
    IReadOnlyList<(string KeyId, string PublicKeyPem)> SigningKeys,
    IReadOnlyList<BundlePart> Parts,
    (long Ledgers, long Events, long InRange) Counts,
    IReadOnlyList<BundleExcludedLedger> Excluded,
    IReadOnlySet<string>? ClientIndexes = null)
{
    public bool InRange(DateTimeOffset recordedAt) => (From is null || recordedAt >= From) && (Until is null || recordedAt < Until);
}

namespace WelfareAudit.Core.Searches;

/// <summary>
/// A validated crisis search entry: the exceptional online search the policy allows, with everything a
/// supervisor or board needs to judge it. Every text here is client data and is encrypted in the ledger.
/// </summary>
public sealed record CrisisSearchEntry(
    string ClientRef,
    DateTimeOffset OccurredAt,
    CrisisDetails Crisis,
    string Justification,
    SearchScope Scope,
    string? Findings,
    string? ActionsTaken,
    ThirdPartyContact? ThirdPartyContacted,
    DateTimeOffset? NextSessionAt);

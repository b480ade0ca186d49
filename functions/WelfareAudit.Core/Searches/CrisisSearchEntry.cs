namespace WelfareAudit.Core.Searches;

/// <summary>How strongly the therapist suspected the client was in danger.</summary>
public enum RiskLevel
{
    Low,
    Moderate,
    High,
    Imminent,
}

/// <summary>A usual channel through which the therapist tried, and failed, to reach the client.</summary>
public enum ContactChannel
{
    MissedAppointment,
    Phone,
    Email,
    EmergencyContact,
    Other,
}

/// <summary>Where the therapist searched.</summary>
public enum SearchSource
{
    SearchEngine,
    Blog,
    Facebook,
    TwitterX,
    LinkedIn,
    Other,
}

/// <summary>One failed attempt to reach the client through the usual means.</summary>
public sealed record ContactAttempt(ContactChannel Channel, DateTimeOffset At);

/// <summary>Why this was a crisis: the danger suspected, how serious, and which usual contacts failed.</summary>
public sealed record CrisisDetails(string DangerSuspected, RiskLevel RiskLevel, IReadOnlyList<ContactAttempt> ContactAttempts);

/// <summary>What was searched.</summary>
public sealed record SearchScope(IReadOnlyList<SearchSource> Sources, IReadOnlyList<string> Queries);

/// <summary>A third party the therapist contacted, and what was disclosed to them.</summary>
public sealed record ThirdPartyContact(string Recipient, string Disclosed);

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

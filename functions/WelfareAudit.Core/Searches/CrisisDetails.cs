namespace WelfareAudit.Core.Searches;

/// <summary>Why this was a crisis: the danger suspected, how serious, and which usual contacts failed.</summary>
public sealed record CrisisDetails(string DangerSuspected, RiskLevel RiskLevel, IReadOnlyList<ContactAttempt> ContactAttempts);

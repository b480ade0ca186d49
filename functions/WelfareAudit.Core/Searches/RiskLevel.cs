namespace WelfareAudit.Core.Searches;

/// <summary>How strongly the therapist suspected the client was in danger.</summary>
public enum RiskLevel
{
    Low,
    Moderate,
    High,
    Imminent,
}

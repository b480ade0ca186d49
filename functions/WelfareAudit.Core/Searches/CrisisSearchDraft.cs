namespace WelfareAudit.Core.Searches;

/// <summary>A crisis search as submitted, before validation.</summary>
public sealed class CrisisSearchDraft
{
    public string? ClientRef { get; set; }
    public DateTimeOffset? OccurredAt { get; set; }
    public CrisisDraft? Crisis { get; set; }
    public string? Justification { get; set; }
    public ScopeDraft? Scope { get; set; }
    public string? Findings { get; set; }
    public string? ActionsTaken { get; set; }
    public ThirdPartyDraft? ThirdPartyContacted { get; set; }
    public DateTimeOffset? NextSessionAt { get; set; }
}

namespace WelfareAudit.Core.Searches;

// The draft mirrors the JSON contract with every member optional and enums as text, so that a
// missing or misspelled value becomes a field-named validation error instead of a parse failure.

public sealed class ContactAttemptDraft
{
    public string? Channel { get; set; }
    public DateTimeOffset? At { get; set; }
}

public sealed class CrisisDraft
{
    public string? DangerSuspected { get; set; }
    public string? RiskLevel { get; set; }
    public List<ContactAttemptDraft?>? ContactAttempts { get; set; }
}

public sealed class ScopeDraft
{
    public List<string?>? Sources { get; set; }
    public List<string?>? Queries { get; set; }
}

public sealed class ThirdPartyDraft
{
    public string? Recipient { get; set; }
    public string? Disclosed { get; set; }
}

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

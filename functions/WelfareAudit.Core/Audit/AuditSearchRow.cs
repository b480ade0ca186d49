using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Audit;

/// <summary>One search, as the readable exports show it: its follow-up, not its raw events.</summary>
public sealed record AuditSearchRow(
    string Reference,
    Guid SearchId,
    string Therapist,
    string Client,
    bool ClientIsPseudonym,
    RiskLevel RiskLevel,
    DateTimeOffset OccurredAt,
    DateTimeOffset LoggedAt,
    string Status,
    DateTimeOffset? NextSessionAt,
    DateTimeOffset? DiscussedAt,
    int RemindersSent,
    int Amendments,
    bool Overdue,
    long LoggedSequence,
    CrisisSearchEntry Entry,
    string? ReviewOutcome = null,
    DateTimeOffset? ReviewedAt = null,
    string? Reviewer = null)
{
    public TimeSpan? TimeToDiscussion => DiscussedAt is { } d ? d - OccurredAt : null;
}

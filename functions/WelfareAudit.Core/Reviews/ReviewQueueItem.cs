namespace WelfareAudit.Core.Reviews;

/// <summary>One search waiting for review. No client code: the queue is for triage, the detail view shows the rest.</summary>
public sealed record ReviewQueueItem(
    Guid Id,
    string Reference,
    string Therapist,
    DateTimeOffset OccurredAt,
    DateTimeOffset LoggedAt,
    string Risk,
    string Status,
    DateTimeOffset? NextSessionAt,
    DateTimeOffset? DiscussedAt,
    bool Overdue,
    int RemindersSent,
    bool Escalated);

namespace WelfareAudit.Core.Reviews;

/// <summary>A search awaiting discussion whose next session has passed (or, with none known, that is too old).</summary>
public sealed record OverdueSearch(Guid Id, string Reference, string Therapist, DateTimeOffset? NextSessionAt, int RemindersSent, bool Escalated);

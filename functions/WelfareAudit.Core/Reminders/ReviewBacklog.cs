namespace WelfareAudit.Core.Reminders;

/// <summary>The supervisors' daily digest: counts only, so it cannot carry client data.</summary>
public sealed record ReviewBacklog(DateOnly Day, int AwaitingReview, int Overdue);

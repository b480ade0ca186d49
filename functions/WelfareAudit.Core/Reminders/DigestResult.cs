namespace WelfareAudit.Core.Reminders;

/// <summary>What one run of the supervisors' digest did (counts only).</summary>
public sealed record DigestResult(bool Due, int AwaitingReview, int Overdue, int Sent, int AlreadySent, int Failed);

namespace WelfareAudit.Core.Reminders;

/// <summary>
/// What one run of the supervisors' digest did (counts only). When every channel had today's digest already, nothing
/// is counted: <see cref="AwaitingReview"/> and <see cref="Overdue"/> are then 0.
/// </summary>
public sealed record DigestResult(bool Due, int AwaitingReview, int Overdue, int Sent, int AlreadySent, int Failed);

namespace WelfareAudit.Core.Reviews;

/// <summary>An escalation to the supervisors that was delivered (its first <c>ReminderSent</c> of kind escalation).</summary>
public sealed record EscalationSent(Guid Id, string Reference, string Therapist, DateTimeOffset SentAt);

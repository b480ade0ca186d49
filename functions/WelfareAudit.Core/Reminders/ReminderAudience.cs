namespace WelfareAudit.Core.Reminders;

/// <summary>Who a reminder is for.</summary>
public enum ReminderAudience
{
    Therapist,
    Supervisors,
}

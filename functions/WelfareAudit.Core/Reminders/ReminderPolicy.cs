namespace WelfareAudit.Core.Reminders;

/// <summary>
/// When reminders are due, in the therapist's time zone. Bound from <c>WelfareAudit:Reminders:Policy</c>;
/// the defaults are documented in docs/reminders.md.
/// </summary>
public sealed class ReminderPolicy
{
    /// <summary>IANA time zone of the practice, e.g. <c>America/New_York</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Local time of the reminder on the morning of the session day.</summary>
    public TimeSpan SessionMorningAt { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long before the session the last reminder goes out.</summary>
    public TimeSpan BeforeSession { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>Local time of the daily digests (next session unknown; overdue).</summary>
    public TimeSpan DailyAt { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Days after the session (or after the search, if no session is ever set) before the supervisors are told.</summary>
    public int EscalateAfterDays { get; set; } = 14;

    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

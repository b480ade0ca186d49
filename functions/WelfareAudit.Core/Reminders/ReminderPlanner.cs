using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Reminders;

/// <summary>
/// The pure decision: given searches, the time and the policy, which reminders are due. The policy
/// promises the client the search "will definitely" be discussed at the next meeting, so:
/// <list type="bullet">
/// <item>session known: a reminder on the morning of the session day, and another shortly before it;</item>
/// <item>session unknown: a daily nudge to set it;</item>
/// <item>session passed, no discussion: an overdue reminder each following day;</item>
/// <item>after <see cref="ReminderPolicy.EscalateAfterDays"/> days still undiscussed: once, to the supervisors.</item>
/// </list>
/// A recorded discussion or a closing amendment stops all of it.
/// </summary>
public static class ReminderPlanner
{
    public const string SessionMorning = "sessionMorning";
    public const string BeforeSession = "beforeSession";
    public const string SetNextSession = "setNextSession";
    public const string Overdue = "overdue";
    public const string Escalation = "escalation";

    public static IReadOnlyList<DueReminder> Due(IEnumerable<SearchProjection> searches, DateTimeOffset now, ReminderPolicy policy, IReadOnlyCollection<string> channels)
    {
        var zone = policy.Zone();
        var due = new List<DueReminder>();
        foreach (var search in searches)
        {
            if (search.State != SearchState.AwaitingDiscussion)
            {
                continue;
            }
            foreach (var (kind, about, sessionAt, audience) in DueKinds(search, now, policy, zone))
            {
                foreach (var channel in channels)
                {
                    var key = $"{kind}@{about}#{channel}";
                    if (!search.RemindersSent.Contains(key, StringComparer.Ordinal))
                    {
                        due.Add(new DueReminder(search, kind, key, sessionAt, audience, channel));
                    }
                }
            }
        }
        return due;
    }

    private static IEnumerable<(string Kind, string About, DateTimeOffset? SessionAt, ReminderAudience Audience)> DueKinds(
        SearchProjection search, DateTimeOffset now, ReminderPolicy policy, TimeZoneInfo zone)
    {
        var today = LocalDate(now, zone);
        if (search.NextSessionAt is { } session)
        {
            var sessionText = Timestamps.ToText(session);
            var beforeFrom = session - policy.BeforeSession;
            if (now < session)
            {
                if (now >= beforeFrom)
                {
                    yield return (BeforeSession, sessionText, session, ReminderAudience.Therapist);
                }
                else if (now >= LocalTime(LocalDate(session, zone), policy.SessionMorningAt, zone))
                {
                    yield return (SessionMorning, sessionText, session, ReminderAudience.Therapist);
                }
            }
            else
            {
                // From the day after the session, once a day at the daily time.
                if (today > LocalDate(session, zone) && now >= LocalTime(today, policy.DailyAt, zone))
                {
                    yield return (Overdue, today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), session, ReminderAudience.Therapist);
                }
                if (now >= session.AddDays(policy.EscalateAfterDays))
                {
                    yield return (Escalation, sessionText, session, ReminderAudience.Supervisors);
                }
            }
        }
        else
        {
            if (now >= LocalTime(today, policy.DailyAt, zone))
            {
                yield return (SetNextSession, today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), null, ReminderAudience.Therapist);
            }
            if (now >= search.LoggedAt.AddDays(policy.EscalateAfterDays))
            {
                yield return (Escalation, "no-session", null, ReminderAudience.Supervisors);
            }
        }
    }

    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>
    /// The instant of a wall-clock time on a local date. A time that does not exist (skipped by a
    /// daylight-saving change) moves forward by the gap; an ambiguous one takes the earlier instant.
    /// </summary>
    public static DateTimeOffset LocalTime(DateOnly date, TimeSpan timeOfDay, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue).Add(timeOfDay);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}

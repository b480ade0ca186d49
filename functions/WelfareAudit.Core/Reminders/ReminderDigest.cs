using System.Globalization;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Reminders;

/// <summary>
/// What one recipient gets in one sweep on one channel: every due item, digested. It is built from
/// projections only (ids, times, status), so it cannot carry client codes, justifications or notes.
/// The supervisors' daily digest (<see cref="Backlog"/>) has no items, only counts.
/// </summary>
public sealed record ReminderDigest(ReminderAudience Audience, string? TherapistId, IReadOnlyList<DigestItem> Items, Uri? Link, ReviewBacklog? Backlog = null)
{
    public string Subject => Backlog is { } b
        ? $"WelfareAudit daily digest: {b.AwaitingReview} search(es) to review, {b.Overdue} overdue"
        : Audience == ReminderAudience.Supervisors
        ? $"WelfareAudit: {Items.Count} crisis search(es) still not discussed with the client"
        : $"WelfareAudit: {Items.Count} reminder(s) to discuss a crisis search at the next session";

    /// <summary>The plain-text body shared by email and webhook.</summary>
    public string Text()
    {
        if (Backlog is { } backlog)
        {
            return string.Join("\n",
                $"Daily digest for {backlog.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}:",
                "",
                $"- Crisis searches waiting for a supervisor's review: {backlog.AwaitingReview}",
                $"- Crisis searches overdue (next session passed, no discussion with the client recorded): {backlog.Overdue}",
                "",
                Link is null ? "Open WelfareAudit and sign in to review them." : $"Sign in to review them: {Link}",
                "This message deliberately contains no client information.");
        }
        var lines = new List<string>
        {
            Audience == ReminderAudience.Supervisors
                ? "These crisis searches were not discussed with the client in time:"
                : "You promised to discuss these crisis searches with the client at the next session:",
            "",
        };
        foreach (var item in Items)
        {
            lines.Add($"- {item.Reference}: {Describe(item)}");
        }
        lines.Add("");
        lines.Add(Link is null ? "Open WelfareAudit and sign in to see the details." : $"Sign in to see the details: {Link}");
        lines.Add("This message deliberately contains no client information.");
        return string.Join("\n", lines);
    }

    private static string Describe(DigestItem item) => item.Kind switch
    {
        ReminderPlanner.SessionMorning => $"session today at {item.SessionAtLocal}",
        ReminderPlanner.BeforeSession => $"session soon, at {item.SessionAtLocal}",
        ReminderPlanner.SetNextSession => "no next session set yet: please set it",
        ReminderPlanner.Overdue => $"the session on {item.SessionAtLocal} has passed and no discussion is recorded",
        ReminderPlanner.Escalation => item.SessionAt is null ? "no session set and no discussion recorded" : $"session on {item.SessionAtLocal} passed without a recorded discussion",
        _ => item.Kind,
    };

    /// <summary>The supervisors' daily digest of the review backlog.</summary>
    public static ReminderDigest ForBacklog(ReviewBacklog backlog, Uri? link) => new(ReminderAudience.Supervisors, null, [], link, backlog);

    public static ReminderDigest Create(ReminderAudience audience, string? therapistId, IEnumerable<DueReminder> due, ReminderPolicy policy, Uri? link)
    {
        var zone = policy.Zone();
        var items = due
            .OrderBy(d => d.SessionAt ?? DateTimeOffset.MaxValue)
            .Select(d => new DigestItem(
                SearchStatusText.Reference(d.Search.SearchId),
                d.Kind,
                d.SessionAt,
                d.SessionAt is { } at ? TimeZoneInfo.ConvertTime(at, zone).ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture) + " (" + policy.TimeZone + ")" : null))
            .ToList();
        return new ReminderDigest(audience, therapistId, items, link);
    }
}

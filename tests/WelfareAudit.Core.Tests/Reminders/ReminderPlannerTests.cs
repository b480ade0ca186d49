using WelfareAudit.Core.Reminders;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Tests.Reminders;

public class ReminderPlannerTests
{
    private static readonly string[] Email = ["email"];

    private static SearchProjection Search(DateTimeOffset? session, DateTimeOffset loggedAt, SearchState state = SearchState.AwaitingDiscussion, params string[] sent) =>
        new(Guid.NewGuid(), "L", 1, 1, loggedAt.AddHours(-1), loggedAt, "k:i", state, session, null, sent, 0, null);

    private static ReminderPolicy Policy(string zone = "America/New_York") => new() { TimeZone = zone };

    private static IReadOnlyList<string> Kinds(SearchProjection s, DateTimeOffset now, ReminderPolicy? policy = null) =>
        ReminderPlanner.Due([s], now, policy ?? Policy(), Email).Select(d => d.Kind).ToList();

    // Session: Thursday 2026-11-26 14:00 New York (EST, UTC-5) = 19:00Z. Morning reminder from 08:00 EST = 13:00Z.
    private static readonly DateTimeOffset Session = new(2026, 11, 26, 19, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Logged = new(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, DateTimeOffset, string[]> SessionKnownCases => new()
    {
        { "day before the session", new(2026, 11, 25, 20, 0, 0, TimeSpan.Zero), [] },
        { "a minute before 08:00 local on the session day", new(2026, 11, 26, 12, 59, 0, TimeSpan.Zero), [] },
        { "08:00 local on the session day", new(2026, 11, 26, 13, 0, 0, TimeSpan.Zero), [ReminderPlanner.SessionMorning] },
        { "just outside the 60-minute window", new(2026, 11, 26, 17, 59, 59, TimeSpan.Zero), [ReminderPlanner.SessionMorning] },
        { "just inside the 60-minute window", new(2026, 11, 26, 18, 0, 0, TimeSpan.Zero), [ReminderPlanner.BeforeSession] },
        { "the session has started", new(2026, 11, 26, 19, 0, 0, TimeSpan.Zero), [] },
        { "later on the session day", new(2026, 11, 27, 3, 0, 0, TimeSpan.Zero), [] },
        { "the day after, before 08:00 local", new(2026, 11, 27, 12, 59, 0, TimeSpan.Zero), [] },
        { "the day after, 08:00 local", new(2026, 11, 27, 13, 0, 0, TimeSpan.Zero), [ReminderPlanner.Overdue] },
        { "13 days 23 hours after", new(2026, 12, 10, 18, 59, 0, TimeSpan.Zero), [ReminderPlanner.Overdue] },
        { "14 days after", new(2026, 12, 10, 19, 0, 0, TimeSpan.Zero), [ReminderPlanner.Overdue, ReminderPlanner.Escalation] },
    };

    [Theory]
    [MemberData(nameof(SessionKnownCases))]
    public void Due_SessionKnown_FollowsThePolicy(string moment, DateTimeOffset now, string[] expected)
    {
        Assert.True(expected.SequenceEqual(Kinds(Search(Session, Logged), now)), moment);
    }

    [Fact]
    public void Due_SessionMorningInAnotherZone_UsesThatZonesMorning()
    {
        // 08:00 in Tokyo (UTC+9) on 2026-11-27 local = 2026-11-26 23:00Z; the session is 2026-11-27 04:00Z = 13:00 local.
        var session = new DateTimeOffset(2026, 11, 27, 4, 0, 0, TimeSpan.Zero);

        Assert.Empty(Kinds(Search(session, Logged), new(2026, 11, 26, 22, 59, 0, TimeSpan.Zero), Policy("Asia/Tokyo")));
        Assert.Equal([ReminderPlanner.SessionMorning], Kinds(Search(session, Logged), new(2026, 11, 26, 23, 0, 0, TimeSpan.Zero), Policy("Asia/Tokyo")));
    }

    [Fact]
    public void Due_DaylightSavingStartsOnSessionDay_MorningIsEightLocalInTheNewOffset()
    {
        // 2027-03-14: New York springs forward at 02:00 (EST -5 → EDT -4). 08:00 EDT = 12:00Z, not 13:00Z.
        var session = new DateTimeOffset(2027, 3, 14, 18, 0, 0, TimeSpan.Zero);
        var logged = new DateTimeOffset(2027, 3, 10, 12, 0, 0, TimeSpan.Zero);

        Assert.Empty(Kinds(Search(session, logged), new(2027, 3, 14, 11, 59, 0, TimeSpan.Zero)));
        Assert.Equal([ReminderPlanner.SessionMorning], Kinds(Search(session, logged), new(2027, 3, 14, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Due_DaylightSavingEndsOnSessionDay_MorningIsEightLocalInTheNewOffset()
    {
        // 2026-11-01: New York falls back at 02:00 (EDT -4 → EST -5). 08:00 EST = 13:00Z.
        var session = new DateTimeOffset(2026, 11, 1, 18, 0, 0, TimeSpan.Zero);
        var logged = new DateTimeOffset(2026, 10, 28, 12, 0, 0, TimeSpan.Zero);

        Assert.Empty(Kinds(Search(session, logged), new(2026, 11, 1, 12, 59, 0, TimeSpan.Zero)));
        Assert.Equal([ReminderPlanner.SessionMorning], Kinds(Search(session, logged), new(2026, 11, 1, 13, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void LocalTime_InSpringForwardGap_MovesPastTheGap()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        var instant = ReminderPlanner.LocalTime(new DateOnly(2027, 3, 14), TimeSpan.FromHours(2.5), zone);

        Assert.Equal(new DateTimeOffset(2027, 3, 14, 7, 0, 0, TimeSpan.Zero), instant.ToUniversalTime());
    }

    [Fact]
    public void Due_SessionUnknown_DailyNudgeThenEscalation()
    {
        var s = Search(null, Logged);

        Assert.Empty(Kinds(s, new(2026, 11, 25, 12, 59, 0, TimeSpan.Zero)));
        Assert.Equal([ReminderPlanner.SetNextSession], Kinds(s, new(2026, 11, 25, 13, 0, 0, TimeSpan.Zero)));
        Assert.Equal([ReminderPlanner.SetNextSession, ReminderPlanner.Escalation], Kinds(s, Logged.AddDays(14).AddHours(1)));
    }

    [Fact]
    public void Due_DailyNudge_KeyChangesEachLocalDay()
    {
        var s = Search(null, Logged);

        var day1 = ReminderPlanner.Due([s], new(2026, 11, 25, 13, 0, 0, TimeSpan.Zero), Policy(), Email).Single().Key;
        var day2 = ReminderPlanner.Due([s], new(2026, 11, 26, 13, 0, 0, TimeSpan.Zero), Policy(), Email).Single().Key;

        Assert.NotEqual(day1, day2);
        Assert.Equal("setNextSession@2026-11-25#email", day1);
    }

    [Theory]
    [InlineData(SearchState.Discussed)]
    [InlineData(SearchState.Closed)]
    public void Due_DiscussedOrClosed_NothingEver(SearchState state)
    {
        var s = Search(Session, Logged, state);

        Assert.Empty(Kinds(s, new(2026, 11, 26, 18, 30, 0, TimeSpan.Zero)));
        Assert.Empty(Kinds(s, Session.AddDays(30)));
    }

    [Fact]
    public void Due_AlreadySentOnThatChannel_NotDueAgainButOtherChannelIs()
    {
        var now = new DateTimeOffset(2026, 11, 26, 18, 30, 0, TimeSpan.Zero);
        var first = ReminderPlanner.Due([Search(Session, Logged)], now, Policy(), ["email", "webhook"]);
        var sentKey = first.Single(d => d.Channel == "email").Key;

        var again = ReminderPlanner.Due([Search(Session, Logged, SearchState.AwaitingDiscussion, sentKey)], now, Policy(), ["email", "webhook"]);

        Assert.Equal(2, first.Count);
        Assert.Equal("webhook", Assert.Single(again).Channel);
    }

    [Fact]
    public void Due_Escalation_IsForSupervisors()
    {
        var due = ReminderPlanner.Due([Search(Session, Logged)], Session.AddDays(15), Policy(), Email);

        Assert.Equal(ReminderAudience.Supervisors, due.Single(d => d.Kind == ReminderPlanner.Escalation).Audience);
        Assert.Equal(ReminderAudience.Therapist, due.Single(d => d.Kind == ReminderPlanner.Overdue).Audience);
    }
}

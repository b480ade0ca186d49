using Microsoft.Extensions.Logging.Abstractions;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Reminders;
using WelfareAudit.Core.Reviews;
using WelfareAudit.Core.Tests.Support;
using WelfareAudit.Testing;
using static WelfareAudit.Core.Tests.Support.UseCaseWorld;

namespace WelfareAudit.Core.Tests.Reminders;

/// <summary>The supervisors' daily digest on the in-memory ledger, in-memory claims and a fake clock: once a day, counts only.</summary>
public class SupervisorDigestJobTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly UseCaseWorld _world = new();
    private readonly InMemoryJobClaims _claims;
    private readonly RecordingChannel _email = new("email");
    private readonly RecordingChannel _webhook = new("webhook");
    private readonly ReminderOptions _options = new() { Policy = new ReminderPolicy { TimeZone = "Europe/London", DailyAt = TimeSpan.FromHours(8) } };
    private readonly AuditReportOptions _report = new();

    public SupervisorDigestJobTests() => _claims = new InMemoryJobClaims(_world.Time);

    private SupervisorDigestJob Job(params IReminderChannel[] channels) =>
        new(_world.Ledger, _claims, new AuditSearchRows(_world.Ledger, _report), channels.Length == 0 ? [_email, _webhook] : channels,
            _options, _world.Time, NullLogger<SupervisorDigestJob>.Instance);

    /// <summary>Moves the clock to the next local (London) day at the given time.</summary>
    private void NextDayAt(int hour)
    {
        var zone = _options.Policy.Zone();
        var today = ReminderPlanner.LocalDate(_world.Time.GetUtcNow(), zone);
        _world.Time.SetUtcNow(ReminderPlanner.LocalTime(today.AddDays(1), TimeSpan.FromHours(hour), zone));
    }

    [Fact]
    public async Task SendAsync_RunTwiceAndByTwoInstances_OneDigestPerChannelPerDay()
    {
        await _world.LogAsync(TherapistA, "C-DIGEST-SECRET-1");
        await _world.LogAsync(TherapistB, "C-DIGEST-SECRET-2", _world.Time.GetUtcNow().AddHours(1));
        NextDayAt(9);

        var first = await Job().SendAsync(None);
        var results = await Task.WhenAll(Job().SendAsync(None), Job().SendAsync(None));

        Assert.Equal((true, 2, 1, 2), (first.Due, first.AwaitingReview, first.Overdue, first.Sent));
        Assert.All(results, r => Assert.Equal((0, 2), (r.Sent, r.AlreadySent)));
        var digest = Assert.Single(_email.Digests);
        Assert.Single(_webhook.Digests);
        Assert.Equal(ReminderAudience.Supervisors, digest.Audience);
        Assert.Empty(digest.Items);
        Assert.Contains("waiting for a supervisor's review: 2", digest.Text(), StringComparison.Ordinal);
        Assert.Contains("overdue (next session passed, no discussion with the client recorded): 1", digest.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("DIGEST-SECRET", digest.Subject + digest.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_LaterRunTheSameDay_StopsAtTheClaimsWithoutCounting()
    {
        await _world.LogAsync();
        NextDayAt(9);
        var first = await Job().SendAsync(None);
        await _world.LogAsync();

        var later = await Job().SendAsync(None);

        Assert.Equal((true, 1, 2), (first.Due, first.AwaitingReview, first.Sent));
        Assert.Equal((true, 0, 0, 0, 2, 0), (later.Due, later.AwaitingReview, later.Overdue, later.Sent, later.AlreadySent, later.Failed));
        Assert.Single(_email.Digests);
        Assert.Equal(2, _claims.Names.Count);
    }

    [Fact]
    public async Task SendAsync_BeforeTheDailyTime_SendsNothing_ThenTheNextDayAgain()
    {
        await _world.LogAsync();
        NextDayAt(7);

        var early = await Job().SendAsync(None);
        _world.Time.Advance(TimeSpan.FromHours(1));
        var due = await Job().SendAsync(None);
        NextDayAt(8);
        var nextDay = await Job().SendAsync(None);

        Assert.Equal((false, 0), (early.Due, early.Sent));
        Assert.Equal(2, due.Sent);
        Assert.Equal(2, nextDay.Sent);
        Assert.Equal(2, _email.Digests.Count);
        Assert.NotEqual(_email.Digests[0].Backlog!.Day, _email.Digests[1].Backlog!.Day);
    }

    [Fact]
    public async Task SendAsync_NothingWaiting_SendsNothingAndClaimsNothing()
    {
        var id = await _world.LogAsync();
        var review = new ReviewService(_world.Ledger, new AuditSearchRows(_world.Ledger, _report), _report, _world.Indexer, _world.Time);
        await review.ReviewAsync(Supervisor, id, new ReviewDraft { Outcome = "appropriate" }, null, None);
        await _world.Searches.RecordDiscussionAsync(Therapist(), id, new() { DiscussedAt = _world.Time.GetUtcNow().AddMinutes(-1) }, null, None);
        NextDayAt(10);

        var result = await Job().SendAsync(None);

        Assert.Equal((true, 0, 0, 0), (result.Due, result.AwaitingReview, result.Overdue, result.Sent));
        Assert.Empty(_email.Digests);
        Assert.Empty(_claims.Names);
    }

    [Fact]
    public async Task SendAsync_OneChannelDown_FailsGivesItsClaimBackAndTheNextRunSendsOnlyThat()
    {
        await _world.LogAsync();
        NextDayAt(9);
        _webhook.Failing = true;

        await Assert.ThrowsAsync<ReminderDeliveryException>(() => Job().SendAsync(None));
        _webhook.Failing = false;
        var retry = await Job().SendAsync(None);

        Assert.Equal((1, 1), (retry.Sent, retry.AlreadySent));
        Assert.Single(_email.Digests);
        Assert.Single(_webhook.Digests);
    }

    [Fact]
    public void ClaimName_IsDatedPerChannel_AndAValidLeaseName()
    {
        var name = SupervisorDigestJob.ClaimName(new DateOnly(2026, 12, 2), "e-mail");

        Assert.Equal("supervisorDigest20261202email", name);
    }
}

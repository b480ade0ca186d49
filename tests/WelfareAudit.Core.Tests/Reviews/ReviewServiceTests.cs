using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Reminders;
using WelfareAudit.Core.Reviews;
using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Tests.Support;
using WelfareAudit.Core.Validation;
using WelfareAudit.Testing;
using static WelfareAudit.Core.Tests.Support.UseCaseWorld;

namespace WelfareAudit.Core.Tests.Reviews;

/// <summary>The supervisor's review, queue and oversight on the in-memory ledger: roles, refusals, idempotency, paging, figures.</summary>
public class ReviewServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly UseCaseWorld _world = new();
    private readonly AuditReportOptions _options = new() { OverdueAfterDays = 14, RarityMaxPerClientPerYear = 1, RarityMaxPerTherapistPerQuarter = 2 };
    private readonly ReviewService _sut;

    public ReviewServiceTests() =>
        _sut = new ReviewService(_world.Ledger, new AuditSearchRows(_world.Ledger, _options), _options, _world.Indexer, _world.Time);

    /// <summary>A user holding both roles, whose own ledger is <see cref="UseCaseWorld.TherapistB"/>.</summary>
    private static Caller BothRoles { get; } = new(TherapistB, new HashSet<Role> { Role.Therapist, Role.Supervisor });

    private static ReviewDraft Draft(string? outcome = ReviewOutcomes.Concern, string? note = "Discuss at supervision.") => new() { Outcome = outcome, Note = note };

    [Fact]
    public async Task ReviewAsync_Supervisor_AppendsSupervisorReviewedToTheTherapistsLedgerAndTheTherapistSeesIt()
    {
        var id = await _world.LogAsync();

        var review = await _sut.ReviewAsync(Supervisor, id, Draft(), null, None);

        var events = await _world.Ledger.ReadAsync(TherapistA, 1, null, None).ToListAsync();
        var recorded = Assert.Single(events, e => e.Event is SupervisorReviewed);
        Assert.Equal((2L, Supervisor.ObjectId), (recorded.Header.Sequence, recorded.Header.Actor));
        Assert.Equal(new SupervisorReviewed(id, Supervisor.ObjectId, "concern", "Discuss at supervision."), recorded.Event);
        Assert.Equal((id, "concern", Supervisor.ObjectId, 2L), (review.SearchId, review.Outcome, review.Reviewer, review.Append.Sequence));
        Assert.True((await _world.Ledger.GetSearchAsync(TherapistA, id, None))!.Reviewed);
        var seen = Assert.Single((await _world.Searches.GetAsync(Therapist(), id, None)).Reviews);
        Assert.Equal(new ReviewView("concern", Supervisor.ObjectId, _world.Time.GetUtcNow(), "Discuss at supervision."), seen);
        Assert.True((await _world.Ledger.VerifyAsync(TherapistA, None)).Ok);
    }

    [Fact]
    public async Task ReviewAsync_TherapistOrNoRole_IsForbiddenAndAppendsNothing()
    {
        var id = await _world.LogAsync();

        await Assert.ThrowsAsync<ForbiddenException>(() => _sut.ReviewAsync(Therapist(), id, Draft(), null, None));
        await Assert.ThrowsAsync<ForbiddenException>(() => _sut.ReviewAsync(Therapist(TherapistB), id, Draft(), null, None));
        await Assert.ThrowsAsync<ForbiddenException>(() => _sut.ReviewAsync(NoRole, id, Draft(), null, None));

        Assert.Equal(1, (await _world.Ledger.GetHeadAsync(TherapistA, None))!.Sequence);
    }

    [Fact]
    public async Task ReviewAsync_BothRoles_CannotReviewTheirOwnSearchButCanReviewAnothers()
    {
        var own = await _world.LogAsync(TherapistB);
        var other = await _world.LogAsync(TherapistA);

        await Assert.ThrowsAsync<ForbiddenException>(() => _sut.ReviewAsync(BothRoles, own, Draft(), null, None));
        var review = await _sut.ReviewAsync(BothRoles, other, Draft(ReviewOutcomes.Appropriate), null, None);

        Assert.Equal(1, (await _world.Ledger.GetHeadAsync(TherapistB, None))!.Sequence);
        Assert.Equal((TherapistB, "appropriate"), (review.Reviewer, review.Outcome));
    }

    [Theory]
    [InlineData(null, "note", "outcome")]
    [InlineData("fine", "note", "outcome")]
    [InlineData("Appropriate", "note", "outcome")]
    [InlineData("appropriate", "\u0000", "note")]
    public async Task ReviewAsync_BadField_NamesItAndAppendsNothing(string? outcome, string note, string field)
    {
        var id = await _world.LogAsync();

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => _sut.ReviewAsync(Supervisor, id, Draft(outcome, note), null, None));
        var missing = await Assert.ThrowsAsync<ValidationFailedException>(() => _sut.ReviewAsync(Supervisor, id, null, null, None));

        Assert.True(refused.Errors.Contains(field), string.Join(",", refused.Errors.ToDictionary().Keys));
        Assert.True(missing.Errors.Contains("$"));
        Assert.Equal(1, (await _world.Ledger.GetHeadAsync(TherapistA, None))!.Sequence);
    }

    [Fact]
    public async Task ReviewAsync_NoteLongerThanTheLimit_IsRefusedNamingNote()
    {
        var id = await _world.LogAsync();

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            _sut.ReviewAsync(Supervisor, id, Draft(note: new string('x', ReviewService.MaxNoteLength + 1)), null, None));

        Assert.True(refused.Errors.Contains("note"));
    }

    [Fact]
    public async Task ReviewAsync_UnknownSearch_IsNotFound()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _sut.ReviewAsync(Supervisor, Guid.NewGuid(), Draft(), null, None));
    }

    [Fact]
    public async Task ReviewAsync_Twice_IsAConflictButTheSameClaimReplays()
    {
        var id = await _world.LogAsync();
        var claim = IdempotencyClaims.For("review-key", "review-body");

        var first = await _sut.ReviewAsync(Supervisor, id, Draft(), claim, None);
        var replay = await _sut.ReviewAsync(Supervisor, id, Draft(), claim, None);
        await Assert.ThrowsAsync<ConflictException>(() => _sut.ReviewAsync(Supervisor, id, Draft(ReviewOutcomes.Appropriate), null, None));

        Assert.True(replay.Append.Replayed);
        Assert.Equal(first.Append.Sequence, replay.Append.Sequence);
        Assert.Equal(2, (await _world.Ledger.GetHeadAsync(TherapistA, None))!.Sequence);
    }

    [Fact]
    public async Task QueueAsync_UnreviewedOldestFirst_PagedWithoutSkippingWhenReviewsHappenBetweenPages()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await _world.LogAsync(i % 2 == 0 ? TherapistA : TherapistB, "C-" + i));
            _world.Time.Advance(TimeSpan.FromMinutes(1));
        }
        await _sut.ReviewAsync(Supervisor, ids[1], Draft(), null, None);

        var first = await _sut.QueueAsync(Supervisor, Query(pageSize: "2"), None);
        await _sut.ReviewAsync(Supervisor, ids[0], Draft(), null, None);
        var second = await _sut.QueueAsync(Supervisor, Query(pageSize: "2", continuation: first.Next), None);

        Assert.Equal([ids[0], ids[2]], first.Items.Select(i => i.Id));
        Assert.NotNull(first.Next);
        Assert.Equal([ids[3], ids[4]], second.Items.Select(i => i.Id));
        Assert.Null(second.Next);
        var item = first.Items[1];
        Assert.Equal((TherapistA, "high", SearchStatusText.AwaitingDiscussion, SearchStatusText.Reference(ids[2])), (item.Therapist, item.Risk, item.Status, item.Reference));
    }

    [Fact]
    public async Task QueueAsync_Filters_ByTherapistRiskAndOverdue()
    {
        var a = await _world.LogAsync(TherapistA);
        var b = await _world.LogAsync(TherapistB, nextSessionAt: _world.Time.GetUtcNow().AddHours(2));
        var lowDraft = _world.Draft("C-LOW");
        lowDraft.Crisis!.RiskLevel = "low";
        var low = (await _world.Searches.LogAsync(Therapist(), lowDraft, null, None)).SearchId!.Value;
        _world.Time.Advance(TimeSpan.FromDays(15));

        var ofB = await _sut.QueueAsync(Supervisor, Query(therapist: TherapistB), None);
        var lowRisk = await _sut.QueueAsync(Supervisor, Query(risk: "low"), None);
        var overdue = await _sut.QueueAsync(Supervisor, Query(overdue: "true"), None);
        await _world.Searches.RecordDiscussionAsync(Therapist(), a, new DiscussionDraft { DiscussedAt = _world.Time.GetUtcNow().AddMinutes(-1) }, null, None);
        var notOverdue = await _sut.QueueAsync(Supervisor, Query(overdue: "false"), None);

        Assert.Equal([b], ofB.Items.Select(i => i.Id));
        Assert.Equal([low], lowRisk.Items.Select(i => i.Id));
        Assert.Equal(new[] { a, b, low }.Order(), overdue.Items.Select(i => i.Id).Order());
        Assert.All(overdue.Items, i => Assert.True(i.Overdue));
        Assert.Equal([a], notOverdue.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task QueueAndOversight_Therapist_AreForbidden()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => _sut.QueueAsync(Therapist(), ReviewQuery.Default, None));
        await Assert.ThrowsAsync<ForbiddenException>(() => _sut.OversightAsync(Therapist(), None));
        await Assert.ThrowsAsync<ForbiddenException>(() => _sut.OversightAsync(NoRole, None));
    }

    [Theory]
    [InlineData("not an id!", null, null, null, null, "therapist")]
    [InlineData(null, "apocalyptic", null, null, null, "risk")]
    [InlineData(null, "High", null, null, null, "risk")]
    [InlineData(null, "2", null, null, null, "risk")]
    [InlineData(null, null, "yes", null, null, "overdue")]
    [InlineData(null, null, null, "0", null, "pageSize")]
    [InlineData(null, null, null, "101", null, "pageSize")]
    [InlineData(null, null, null, "-1", null, "pageSize")]
    [InlineData(null, null, null, "1e2", null, "pageSize")]
    [InlineData(null, null, null, null, "garbage", "continuation")]
    [InlineData(null, null, null, null, "cjEuMS4y", "continuation")]
    public void Parse_BadParameter_NamesIt(string? therapist, string? risk, string? overdue, string? pageSize, string? continuation, string field)
    {
        var refused = Assert.Throws<ValidationFailedException>(() => ReviewQuery.Parse(therapist, risk, overdue, pageSize, continuation));

        Assert.Equal([field], refused.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Token_RoundTrips()
    {
        var at = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
        var id = Guid.NewGuid();

        var query = ReviewQuery.Parse(null, null, null, "100", ReviewQuery.Token(at, id));

        Assert.Equal((at, id), query.After!.Value);
        Assert.Equal(100, query.PageSize);
    }

    [Fact]
    public async Task OversightAsync_OverdueEscalationsRarityAndBacklog_WithoutClientCodes()
    {
        var late = await _world.LogAsync(TherapistA, "C-SECRET-1", nextSessionAt: _world.Time.GetUtcNow().AddHours(1));
        var again = await _world.LogAsync(TherapistA, "C-SECRET-1");
        var other = await _world.LogAsync(TherapistB, "C-SECRET-2");
        _world.Time.Advance(TimeSpan.FromDays(2));
        await _world.Searches.RecordDiscussionAsync(Therapist(), again, new DiscussionDraft { DiscussedAt = _world.Time.GetUtcNow().AddMinutes(-1) }, null, None);
        await _world.Searches.RecordDiscussionAsync(Therapist(TherapistB), other, new DiscussionDraft { DiscussedAt = _world.Time.GetUtcNow().AddMinutes(-1) }, null, None);
        await _sut.ReviewAsync(Supervisor, other, Draft(), null, None);
        await _world.Ledger.AppendAsync(TherapistA, ReminderSweep.Actor, late, _ => new ReminderSent(late, ReminderPlanner.Escalation, "escalation@x#email", null, "email"), None);
        var escalatedAt = _world.Time.GetUtcNow();

        var view = await _sut.OversightAsync(Supervisor, None);

        var overdue = Assert.Single(view.Overdue);
        Assert.Equal((late, TherapistA, 1, true), (overdue.Id, overdue.Therapist, overdue.RemindersSent, overdue.Escalated));
        Assert.Equal(new EscalationSent(late, SearchStatusText.Reference(late), TherapistA, escalatedAt), Assert.Single(view.Escalations));
        Assert.Equal(2, view.AwaitingReview);
        Assert.Equal((1, 2), (view.Rarity.PerClientThreshold, view.Rarity.PerTherapistThreshold));
        Assert.Equal([(TherapistA, 2, false), (TherapistB, 1, false)], view.Rarity.Therapists.Select(t => (t.Therapist, t.Searches, t.Over)));
        var clientOfA = Assert.Single(view.Rarity.Clients, c => c.Therapist == TherapistA);
        Assert.Equal((2, true), (clientOfA.Searches, clientOfA.Over));
        Assert.False(Assert.Single(view.Rarity.Clients, c => c.Therapist == TherapistB).Over);
        Assert.All(view.Rarity.Clients, c => Assert.Matches("^C-[0-9A-F]{10}$", c.Client));
        Assert.DoesNotContain(view.Rarity.Clients, c => c.Client.Contains("SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OversightAsync_TherapistOverTheQuarterThreshold_IsFlagged_AndSearchesOlderThanAYearAreNotCounted()
    {
        await _world.LogAsync(TherapistA, "C-OLD");
        _world.Time.Advance(TimeSpan.FromDays(400));
        for (var i = 0; i < 3; i++)
        {
            await _world.LogAsync(TherapistA, "C-" + i);
        }

        var view = await _sut.OversightAsync(Supervisor, None);

        Assert.Equal([(TherapistA, 3, true)], view.Rarity.Therapists.Select(t => (t.Therapist, t.Searches, t.Over)));
        Assert.Equal(3, view.Rarity.Clients.Count);
        Assert.Equal(4, view.AwaitingReview);
    }

    private static ReviewQuery Query(string? therapist = null, string? risk = null, string? overdue = null, string? pageSize = null, string? continuation = null) =>
        ReviewQuery.Parse(therapist, risk, overdue, pageSize, continuation);
}

using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Tests.Support;
using WelfareAudit.Core.Validation;
using WelfareAudit.Testing;
using static WelfareAudit.Core.Tests.Support.UseCaseWorld;

namespace WelfareAudit.Core.Tests.Searches;

/// <summary>The crisis search use cases on the in-memory ledger: roles, refusals, idempotency, the follow-up.</summary>
public class CrisisSearchServiceTests
{
    private readonly UseCaseWorld _world = new();
    private CrisisSearchService Sut => _world.Searches;
    private static readonly CancellationToken None = CancellationToken.None;

    private DiscussionDraft Discussion(TimeSpan? ago = null) => new()
    {
        DiscussedAt = _world.Time.GetUtcNow() - (ago ?? TimeSpan.FromMinutes(5)),
        Note = "We talked about the search.",
        ClientResponse = "Understood",
    };

    [Fact]
    public async Task LogAsync_Therapist_AppendsTheSearchToTheirOwnLedger()
    {
        var result = await Sut.LogAsync(Therapist(), _world.Draft("C-0042"), null, None);

        var detail = await Sut.GetAsync(Therapist(), result.SearchId!.Value, None);
        Assert.Equal(1, result.Sequence);
        Assert.False(result.Replayed);
        Assert.Equal("C-0042", detail.Entry.ClientRef);
        Assert.Equal(TherapistA, detail.Summary.Therapist);
        Assert.Equal(SearchStatusText.AwaitingDiscussion, detail.Summary.Status);
        Assert.Equal(_world.Time.GetUtcNow(), detail.Summary.LoggedAt);
        Assert.Equal(await _world.Indexer.IndexAsync("C-0042", None), (await _world.Ledger.GetSearchAsync(TherapistA, result.SearchId.Value, None))!.ClientIndex);
        Assert.Equal([TherapistA], await _world.Ledger.ListLedgersAsync(None).ToListAsync());
    }

    [Fact]
    public async Task LogAsync_SupervisorOrNoRole_IsForbiddenAndAppendsNothing()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => Sut.LogAsync(Supervisor, _world.Draft(), null, None));
        await Assert.ThrowsAsync<ForbiddenException>(() => Sut.LogAsync(NoRole, _world.Draft(), null, None));

        Assert.Empty(await _world.Ledger.ListLedgersAsync(None).ToListAsync());
    }

    [Fact]
    public async Task LogAsync_InvalidDraft_NamesEveryBadFieldAndAppendsNothing()
    {
        var draft = _world.Draft();
        draft.Justification = " ";
        draft.Crisis!.RiskLevel = "apocalyptic";
        draft.OccurredAt = _world.Time.GetUtcNow().AddDays(1);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.LogAsync(Therapist(), draft, null, None));
        var missing = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.LogAsync(Therapist(), null, null, None));

        Assert.True(refused.Errors.Contains("justification"));
        Assert.True(refused.Errors.Contains("crisis.riskLevel"));
        Assert.True(refused.Errors.Contains("occurredAt"));
        Assert.True(missing.Errors.Contains("$"));
        Assert.Empty(await _world.Ledger.ListLedgersAsync(None).ToListAsync());
    }

    [Fact]
    public async Task LogAsync_RetriedWithTheSameClaim_ReplaysOneSearch()
    {
        var claim = IdempotencyClaims.For("key-hash", "body-hash");

        var first = await Sut.LogAsync(Therapist(), _world.Draft(), claim, None);
        var retry = await Sut.LogAsync(Therapist(), _world.Draft(), claim, None);

        Assert.True(retry.Replayed);
        Assert.Equal(first.SearchId, retry.SearchId);
        Assert.Equal(first.Sequence, retry.Sequence);
        Assert.Single((await Sut.ListAsync(Therapist(), null, null, None)).Items);
    }

    [Fact]
    public async Task LogAsync_ClaimReusedForAnotherBody_IsRefused()
    {
        await Sut.LogAsync(Therapist(), _world.Draft("C-1"), IdempotencyClaims.For("key-hash", "body-1"), None);

        await Assert.ThrowsAsync<IdempotencyConflictException>(() => Sut.LogAsync(Therapist(), _world.Draft("C-2"), IdempotencyClaims.For("key-hash", "body-2"), None));

        Assert.Single((await Sut.ListAsync(Therapist(), null, null, None)).Items);
    }

    [Fact]
    public async Task SetNextSessionAsync_AwaitingDiscussion_SetsIt()
    {
        var id = await _world.LogAsync();
        var at = _world.Time.GetUtcNow().AddDays(3);

        var result = await Sut.SetNextSessionAsync(Therapist(), id, new NextSessionDraft { NextSessionAt = at }, null, None);

        Assert.Equal(2, result.Sequence);
        Assert.Equal(at, (await Sut.GetAsync(Therapist(), id, None)).Summary.NextSessionAt);
    }

    [Fact]
    public async Task SetNextSessionAsync_Refusals_NameTheReason()
    {
        var id = await _world.LogAsync();
        var now = _world.Time.GetUtcNow();

        await Assert.ThrowsAsync<ForbiddenException>(() => Sut.SetNextSessionAsync(Supervisor, id, new NextSessionDraft { NextSessionAt = now.AddDays(1) }, null, None));
        await Assert.ThrowsAsync<NotFoundException>(() => Sut.SetNextSessionAsync(Therapist(), Guid.NewGuid(), new NextSessionDraft { NextSessionAt = now.AddDays(1) }, null, None));
        await Assert.ThrowsAsync<NotFoundException>(() => Sut.SetNextSessionAsync(Therapist(TherapistB), id, new NextSessionDraft { NextSessionAt = now.AddDays(1) }, null, None));
        var tooFar = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.SetNextSessionAsync(Therapist(), id, new NextSessionDraft { NextSessionAt = now.AddYears(2) }, null, None));
        var beforeSearch = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.SetNextSessionAsync(Therapist(), id, new NextSessionDraft { NextSessionAt = now.AddDays(-2) }, null, None));
        var missing = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.SetNextSessionAsync(Therapist(), id, null, null, None));
        await Sut.RecordDiscussionAsync(Therapist(), id, Discussion(), null, None);
        await Assert.ThrowsAsync<ConflictException>(() => Sut.SetNextSessionAsync(Therapist(), id, new NextSessionDraft { NextSessionAt = now.AddDays(1) }, null, None));

        Assert.True(tooFar.Errors.Contains("nextSessionAt"));
        Assert.True(beforeSearch.Errors.Contains("nextSessionAt"));
        Assert.True(missing.Errors.Contains("$"));
        Assert.Equal(2, (await _world.Ledger.GetHeadAsync(TherapistA, None))!.Sequence);
    }

    [Fact]
    public async Task RecordDiscussionAsync_Awaiting_MarksItDiscussedWithTheNote()
    {
        var id = await _world.LogAsync();
        var draft = Discussion();

        await Sut.RecordDiscussionAsync(Therapist(), id, draft, null, None);

        var detail = await Sut.GetAsync(Therapist(), id, None);
        Assert.Equal(SearchStatusText.Discussed, detail.Summary.Status);
        Assert.Equal(draft.DiscussedAt, detail.Summary.DiscussedAt);
        Assert.Equal(("We talked about the search.", "Understood"), (detail.Discussion!.Note, detail.Discussion.ClientResponse));
    }

    [Fact]
    public async Task RecordDiscussionAsync_Twice_SecondIsAConflict_UnlessItIsTheSameRequestRetried()
    {
        var id = await _world.LogAsync();
        var claim = IdempotencyClaims.For("discussion-key", "discussion-body");
        var first = await Sut.RecordDiscussionAsync(Therapist(), id, Discussion(), claim, None);

        var retried = await Sut.RecordDiscussionAsync(Therapist(), id, Discussion(), claim, None);
        await Assert.ThrowsAsync<ConflictException>(() => Sut.RecordDiscussionAsync(Therapist(), id, Discussion(), null, None));

        Assert.True(retried.Replayed);
        Assert.Equal(first.Sequence, retried.Sequence);
        Assert.Equal(2, (await _world.Ledger.GetHeadAsync(TherapistA, None))!.Sequence);
    }

    [Fact]
    public async Task RecordDiscussionAsync_Refusals_NameTheField()
    {
        var id = await _world.LogAsync();

        var beforeSearch = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.RecordDiscussionAsync(Therapist(), id, Discussion(ago: TimeSpan.FromHours(2)), null, None));
        var future = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.RecordDiscussionAsync(Therapist(), id, Discussion(ago: TimeSpan.FromHours(-2)), null, None));
        var tooLong = Discussion();
        tooLong.Note = new string('n', CrisisSearchService.MaxNoteLength + 1);
        var longNote = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.RecordDiscussionAsync(Therapist(), id, tooLong, null, None));
        await Assert.ThrowsAsync<NotFoundException>(() => Sut.RecordDiscussionAsync(Therapist(TherapistB), id, Discussion(), null, None));
        await Assert.ThrowsAsync<ForbiddenException>(() => Sut.RecordDiscussionAsync(Supervisor, id, Discussion(), null, None));

        Assert.True(beforeSearch.Errors.Contains("discussedAt"));
        Assert.True(future.Errors.Contains("discussedAt"));
        Assert.True(longNote.Errors.Contains("note"));
        Assert.Equal(SearchState.AwaitingDiscussion, (await _world.Ledger.GetSearchAsync(TherapistA, id, None))!.State);
    }

    [Fact]
    public async Task AmendAsync_Correction_KeepsTheOriginalAndListsTheAmendment()
    {
        var id = await _world.LogAsync(clientRef: "C-0042");

        await Sut.AmendAsync(Therapist(), id, new AmendmentDraft { Field = "clientRef", Value = "C-0043", Reason = "typo in the code" }, null, None);

        var detail = await Sut.GetAsync(Therapist(), id, None);
        Assert.Equal("C-0042", detail.Entry.ClientRef);
        var amendment = Assert.Single(detail.Amendments);
        Assert.Equal(("clientRef", "C-0043", "typo in the code", false), (amendment.Field, amendment.Value, amendment.Reason, amendment.ClosesSearch));
        Assert.Equal(SearchStatusText.AwaitingDiscussion, detail.Summary.Status);
    }

    [Fact]
    public async Task AmendAsync_StatusClosed_EndsTheFollowUp()
    {
        var id = await _world.LogAsync();

        await Sut.AmendAsync(Therapist(), id, new AmendmentDraft { Field = "status", Value = "closed", Reason = "logged in error" }, null, None);

        Assert.Equal(SearchStatusText.Closed, (await Sut.GetAsync(Therapist(), id, None)).Summary.Status);
        await Assert.ThrowsAsync<ConflictException>(() => Sut.RecordDiscussionAsync(Therapist(), id, Discussion(), null, None));
        await Assert.ThrowsAsync<ConflictException>(() => Sut.SetNextSessionAsync(Therapist(), id, new NextSessionDraft { NextSessionAt = _world.Time.GetUtcNow().AddDays(1) }, null, None));
    }

    [Fact]
    public async Task AmendAsync_Refusals_NameTheField()
    {
        var id = await _world.LogAsync();

        var unknownField = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.AmendAsync(Therapist(), id, new AmendmentDraft { Field = "therapist", Value = "x", Reason = "r" }, null, None));
        var reopen = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.AmendAsync(Therapist(), id, new AmendmentDraft { Field = "status", Value = "open", Reason = "r" }, null, None));
        var badCode = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.AmendAsync(Therapist(), id, new AmendmentDraft { Field = "clientRef", Value = "two\nlines", Reason = "r" }, null, None));
        var noReason = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.AmendAsync(Therapist(), id, new AmendmentDraft { Field = "findings", Value = "x" }, null, None));
        await Assert.ThrowsAsync<NotFoundException>(() => Sut.AmendAsync(Therapist(), Guid.NewGuid(), new AmendmentDraft { Field = "findings", Value = "x", Reason = "r" }, null, None));

        Assert.True(unknownField.Errors.Contains("field"));
        Assert.True(reopen.Errors.Contains("value"));
        Assert.True(badCode.Errors.Contains("value"));
        Assert.True(noReason.Errors.Contains("reason"));
        Assert.Equal(1, (await _world.Ledger.GetHeadAsync(TherapistA, None))!.Sequence);
    }

    [Fact]
    public async Task ListAsync_TherapistSeesOwn_SupervisorSeesEveryLedger()
    {
        var a1 = await _world.LogAsync(TherapistA, "C-A1");
        _world.Time.Advance(TimeSpan.FromHours(2));
        var a2 = await _world.LogAsync(TherapistA, "C-A2");
        var b1 = await _world.LogAsync(TherapistB, "C-B1");
        await Sut.RecordDiscussionAsync(Therapist(TherapistA), a1, Discussion(), null, None);

        var own = (await Sut.ListAsync(Therapist(TherapistA), null, null, None)).Items;
        var awaiting = (await Sut.ListAsync(Therapist(TherapistA), SearchStatusText.AwaitingDiscussion, null, None)).Items;
        var all = (await Sut.ListAsync(Supervisor, SearchStatusText.All, null, None)).Items;
        var onlyB = (await Sut.ListAsync(Supervisor, null, TherapistB, None)).Items;

        Assert.Equal([a2, a1], own.Select(s => s.Id));
        Assert.Equal(["C-A2", "C-A1"], own.Select(s => s.ClientRef));
        Assert.Equal([a2], awaiting.Select(s => s.Id));
        Assert.Equal(new[] { a1, a2, b1 }.Order(), all.Select(s => s.Id).Order());
        Assert.Equal([b1], onlyB.Select(s => s.Id));
    }

    [Fact]
    public async Task ListAsync_ByRisk_KeepsOnlyThatLevelAsLogged_AndNamesABadValueWithABadStatus()
    {
        var high = await _world.LogAsync(TherapistA, "C-HIGH");
        var lowDraft = _world.Draft("C-LOW");
        lowDraft.Crisis!.RiskLevel = "low";
        var low = (await Sut.LogAsync(Therapist(TherapistA), lowDraft, null, None)).SearchId!.Value;

        Assert.Equal([high], (await Sut.ListAsync(Therapist(TherapistA), null, null, "high", None)).Items.Select(s => s.Id));
        Assert.Equal([low], (await Sut.ListAsync(Therapist(TherapistA), null, null, "LOW", None)).Items.Select(s => s.Id));
        Assert.Empty((await Sut.ListAsync(Therapist(TherapistA), null, null, "imminent", None)).Items);
        Assert.Equal(2, (await Sut.ListAsync(Therapist(TherapistA), null, null, null, None)).Items.Count);

        var bad = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.ListAsync(Therapist(TherapistA), "pending", null, "2", None));
        Assert.True(bad.Errors.Contains("status"));
        Assert.True(bad.Errors.Contains("risk"));
    }

    [Fact]
    public async Task ListAsync_Refusals()
    {
        await _world.LogAsync(TherapistB);

        var badStatus = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.ListAsync(Therapist(), "pending", null, None));
        await Assert.ThrowsAsync<ForbiddenException>(() => Sut.ListAsync(Therapist(TherapistA), null, TherapistB, None));
        await Assert.ThrowsAsync<ForbiddenException>(() => Sut.ListAsync(NoRole, null, null, None));

        Assert.True(badStatus.Errors.Contains("status"));
    }

    [Fact]
    public async Task GetAsync_OtherTherapistsSearch_IsNotFound_SupervisorFindsIt()
    {
        var id = await _world.LogAsync(TherapistB);

        await Assert.ThrowsAsync<NotFoundException>(() => Sut.GetAsync(Therapist(TherapistA), id, None));
        await Assert.ThrowsAsync<NotFoundException>(() => Sut.GetAsync(Supervisor, Guid.NewGuid(), None));
        await Assert.ThrowsAsync<ForbiddenException>(() => Sut.GetAsync(NoRole, id, None));
        var seen = await Sut.GetAsync(Supervisor, id, None);

        Assert.Equal(TherapistB, seen.Summary.Therapist);
    }

    [Fact]
    public async Task VerifyAsync_TherapistVerifiesOwnLedger_SupervisorEvery_TamperingShows()
    {
        await _world.LogAsync(TherapistA);
        await _world.LogAsync(TherapistB);
        _world.Ledger.Tamper(TherapistB, 1, e => e with { Clear = new Dictionary<string, string>(e.Clear) { ["occurredAt"] = "2020-01-01T00:00:00.0000000Z" } });

        var own = await Sut.VerifyAsync(Therapist(TherapistA), None);
        var every = await Sut.VerifyAsync(Supervisor, None);

        Assert.True(Assert.Single(own).Ok);
        Assert.Equal([TherapistA, TherapistB], every.Select(v => v.LedgerId));
        Assert.True(every[0].Ok);
        Assert.Equal((1L, LedgerProblemKind.ModifiedRow), (every[1].Problem!.Sequence, every[1].Problem!.Kind));
        await Assert.ThrowsAsync<ForbiddenException>(() => Sut.VerifyAsync(NoRole, None));
    }
}

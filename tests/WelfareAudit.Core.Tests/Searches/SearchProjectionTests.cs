using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Tests.Searches;

public class SearchProjectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 15, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.Parse("11111111-2222-3333-4444-555555555555");

    private static EventHeader H(long seq, string type) => new("L", seq, type, Now.AddMinutes(seq), "oid");

    private static SearchProjection Logged()
    {
        var entry = CrisisSearchValidator.Validate(CrisisSearchValidatorTests.ValidDraft(), Now);
        return SearchProjection.Apply(null, H(1, EventTypes.SearchLogged), new SearchLogged(Id, entry, "k:idx"));
    }

    [Fact]
    public void Apply_SearchLogged_StartsAwaitingDiscussion()
    {
        var p = Logged();

        Assert.Equal(SearchState.AwaitingDiscussion, p.State);
        Assert.Equal(1, p.LoggedSequence);
        Assert.Equal(Now.AddDays(3), p.NextSessionAt);
        Assert.Equal("k:idx", p.ClientIndex);
        Assert.Empty(p.RemindersSent);
    }

    [Fact]
    public void Apply_FullLifecycle_FoldsEveryEvent()
    {
        var p = Logged();
        p = SearchProjection.Apply(p, H(2, EventTypes.NextSessionSet), new NextSessionSet(Id, Now.AddDays(5)));
        p = SearchProjection.Apply(p, H(3, EventTypes.ReminderSent), new ReminderSent(Id, "sessionMorning", "sessionMorning@x", Now.AddDays(5), "email"));
        p = SearchProjection.Apply(p, H(4, EventTypes.EntryAmended), new EntryAmended(Id, "findings", "v", "r", false));
        p = SearchProjection.Apply(p, H(5, EventTypes.DiscussedWithClient), new DiscussedWithClient(Id, Now.AddDays(5), "n", null));

        Assert.Equal(SearchState.Discussed, p.State);
        Assert.Equal(Now.AddDays(5), p.NextSessionAt);
        Assert.Equal(["sessionMorning@x"], p.RemindersSent);
        Assert.Equal(Now.AddMinutes(3), p.LastReminderAt);
        Assert.Equal(1, p.Amendments);
        Assert.Equal(Now.AddDays(5), p.DiscussedAt);
        Assert.Equal(5, p.LastSequence);
    }

    [Fact]
    public void Apply_SupervisorReviewed_MarksReviewedAndKeepsTheFollowUpState()
    {
        var p = Logged();

        p = SearchProjection.Apply(p, H(2, EventTypes.SupervisorReviewed), new SupervisorReviewed(Id, "oid-sup", ReviewOutcomes.Concern, "note"));

        Assert.True(p.Reviewed);
        Assert.Equal((Now.AddMinutes(2), "concern", "oid-sup"), (p.ReviewedAt!.Value, p.ReviewOutcome, p.Reviewer));
        Assert.Equal(SearchState.AwaitingDiscussion, p.State);
        Assert.Equal(2, p.LastSequence);
        Assert.False(Logged().Reviewed);
    }

    [Fact]
    public void Apply_ClosingAmendment_ClosesAnAwaitingSearch()
    {
        var p = SearchProjection.Apply(Logged(), H(2, EventTypes.EntryAmended), new EntryAmended(Id, "status", "closed", "logged in error", true));

        Assert.Equal(SearchState.Closed, p.State);
    }

    [Fact]
    public void Apply_ClosingAmendmentAfterDiscussion_KeepsDiscussed()
    {
        var p = SearchProjection.Apply(Logged(), H(2, EventTypes.DiscussedWithClient), new DiscussedWithClient(Id, Now, null, null));
        p = SearchProjection.Apply(p, H(3, EventTypes.EntryAmended), new EntryAmended(Id, "status", "closed", "r", true));

        Assert.Equal(SearchState.Discussed, p.State);
    }

    [Fact]
    public void Apply_EventBeforeLogging_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => SearchProjection.Apply(null, H(1, EventTypes.NextSessionSet), new NextSessionSet(Id, null)));
    }

    [Fact]
    public void Apply_KeyRotated_BelongsToNoSearch()
    {
        var rotated = new KeyRotated(KeyRotated.Signing, "v2", "MFkw");

        Assert.Null(rotated.SearchId);
        Assert.Throws<InvalidOperationException>(() => SearchProjection.Apply(Logged(), H(2, EventTypes.KeyRotated), rotated));
    }

    [Fact]
    public void Apply_SecondSearchLogged_Throws()
    {
        var entry = CrisisSearchValidator.Validate(CrisisSearchValidatorTests.ValidDraft(), Now);

        Assert.Throws<InvalidOperationException>(() => SearchProjection.Apply(Logged(), H(2, EventTypes.SearchLogged), new SearchLogged(Id, entry, "k:idx")));
    }
}

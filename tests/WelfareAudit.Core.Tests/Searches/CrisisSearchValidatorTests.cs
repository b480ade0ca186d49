using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Core.Tests.Searches;

public class CrisisSearchValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 15, 0, 0, TimeSpan.Zero);

    public static CrisisSearchDraft ValidDraft() => new()
    {
        ClientRef = "C-0042",
        OccurredAt = Now.AddHours(-2),
        Crisis = new CrisisDraft
        {
            DangerSuspected = "Said last session they had a plan; missed today's appointment.",
            RiskLevel = "high",
            ContactAttempts =
            [
                new ContactAttemptDraft { Channel = "missedAppointment", At = Now.AddHours(-6) },
                new ContactAttemptDraft { Channel = "phone", At = Now.AddHours(-5) },
            ],
        },
        Justification = "No answer on phone or email after a missed session, with prior disclosure of a plan.",
        Scope = new ScopeDraft { Sources = ["searchEngine", "facebook"], Queries = ["name + town"] },
        Findings = "Public post from this morning.",
        ActionsTaken = "Called emergency contact.",
        ThirdPartyContacted = new ThirdPartyDraft { Recipient = "Emergency contact (sibling)", Disclosed = "That I was concerned and trying to reach them." },
        NextSessionAt = Now.AddDays(3),
    };

    [Fact]
    public void Validate_ValidDraft_ReturnsEntryWithEveryField()
    {
        var entry = CrisisSearchValidator.Validate(ValidDraft(), Now);

        Assert.Equal("C-0042", entry.ClientRef);
        Assert.Equal(RiskLevel.High, entry.Crisis.RiskLevel);
        Assert.Equal([ContactChannel.MissedAppointment, ContactChannel.Phone], entry.Crisis.ContactAttempts.Select(a => a.Channel));
        Assert.Equal([SearchSource.SearchEngine, SearchSource.Facebook], entry.Scope.Sources);
        Assert.Equal("Emergency contact (sibling)", entry.ThirdPartyContacted!.Recipient);
        Assert.Equal(Now.AddDays(3), entry.NextSessionAt);
    }

    [Fact]
    public void Validate_MinimalDraft_OptionalFieldsAbsent()
    {
        var draft = ValidDraft();
        draft.Findings = null;
        draft.ActionsTaken = "  ";
        draft.ThirdPartyContacted = null;
        draft.NextSessionAt = null;
        draft.Scope!.Queries = null;

        var entry = CrisisSearchValidator.Validate(draft, Now);

        Assert.Null(entry.Findings);
        Assert.Null(entry.ActionsTaken);
        Assert.Null(entry.ThirdPartyContacted);
        Assert.Null(entry.NextSessionAt);
        Assert.Empty(entry.Scope.Queries);
    }

    public static TheoryData<string, Action<CrisisSearchDraft>> BadDrafts => new()
    {
        { "clientRef", d => d.ClientRef = null },
        { "clientRef", d => d.ClientRef = "   " },
        { "clientRef", d => d.ClientRef = new string('x', 65) },
        { "clientRef", d => d.ClientRef = "C-\u0007" },
        { "clientRef", d => d.ClientRef = "A\nB" },
        { "clientRef", d => d.ClientRef = "bad\ud800surrogate" },
        { "occurredAt", d => d.OccurredAt = null },
        { "occurredAt", d => d.OccurredAt = Now.AddHours(1) },
        { "occurredAt", d => d.OccurredAt = new DateTimeOffset(1999, 12, 31, 0, 0, 0, TimeSpan.Zero) },
        { "crisis", d => d.Crisis = null },
        { "crisis.dangerSuspected", d => d.Crisis!.DangerSuspected = "" },
        { "crisis.dangerSuspected", d => d.Crisis!.DangerSuspected = new string('d', 4001) },
        { "crisis.riskLevel", d => d.Crisis!.RiskLevel = null },
        { "crisis.riskLevel", d => d.Crisis!.RiskLevel = "extreme" },
        { "crisis.riskLevel", d => d.Crisis!.RiskLevel = "2" },
        { "crisis.contactAttempts", d => d.Crisis!.ContactAttempts = null },
        { "crisis.contactAttempts", d => d.Crisis!.ContactAttempts = [] },
        { "crisis.contactAttempts", d => d.Crisis!.ContactAttempts = Enumerable.Range(0, 21).Select(_ => (ContactAttemptDraft?)new ContactAttemptDraft { Channel = "phone", At = Now.AddHours(-3) }).ToList() },
        { "crisis.contactAttempts[0]", d => d.Crisis!.ContactAttempts![0] = null },
        { "crisis.contactAttempts[1].channel", d => d.Crisis!.ContactAttempts![1]!.Channel = "carrierPigeon" },
        { "crisis.contactAttempts[1].channel", d => d.Crisis!.ContactAttempts![1]!.Channel = null },
        { "crisis.contactAttempts[0].at", d => d.Crisis!.ContactAttempts![0]!.At = null },
        { "crisis.contactAttempts[0].at", d => d.Crisis!.ContactAttempts![0]!.At = Now.AddHours(-1) },
        { "justification", d => d.Justification = null },
        { "justification", d => d.Justification = new string('j', 4001) },
        { "scope", d => d.Scope = null },
        { "scope.sources", d => d.Scope!.Sources = null },
        { "scope.sources", d => d.Scope!.Sources = [] },
        { "scope.sources[1]", d => d.Scope!.Sources = ["blog", "myspace"] },
        { "scope.sources[1]", d => d.Scope!.Sources = ["blog", "blog"] },
        { "scope.queries", d => d.Scope!.Queries = Enumerable.Range(0, 21).Select(i => (string?)("q" + i)).ToList() },
        { "scope.queries[0]", d => d.Scope!.Queries = [""] },
        { "scope.queries[0]", d => d.Scope!.Queries = [new string('q', 501)] },
        { "findings", d => d.Findings = "bell\u0007" },
        { "actionsTaken", d => d.ActionsTaken = new string('a', 4001) },
        { "thirdPartyContacted.recipient", d => d.ThirdPartyContacted!.Recipient = null },
        { "thirdPartyContacted.disclosed", d => d.ThirdPartyContacted!.Disclosed = " " },
        { "nextSessionAt", d => d.NextSessionAt = Now.AddHours(-3) },
        { "nextSessionAt", d => d.NextSessionAt = Now.AddDays(400) },
    };

    [Theory]
    [MemberData(nameof(BadDrafts))]
    public void Validate_BadField_NamesThatField(string field, Action<CrisisSearchDraft> spoil)
    {
        var draft = ValidDraft();
        spoil(draft);

        var error = Assert.Throws<ValidationFailedException>(() => CrisisSearchValidator.Validate(draft, Now));

        Assert.Equal([field], error.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Validate_SeveralBadFields_NamesEachWithoutEchoingValues()
    {
        var draft = ValidDraft();
        draft.ClientRef = "SECRET-CODE-\u0001";
        draft.Justification = null;
        draft.Crisis!.RiskLevel = "SECRET-RISK";

        var error = Assert.Throws<ValidationFailedException>(() => CrisisSearchValidator.Validate(draft, Now));

        Assert.Equal(["clientRef", "crisis.riskLevel", "justification"], error.Errors.ToDictionary().Keys);
        var text = error.Message + string.Join(" ", error.Errors.ToDictionary().Values.SelectMany(v => v));
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NullDraft_NamesTheRoot()
    {
        var error = Assert.Throws<ValidationFailedException>(() => CrisisSearchValidator.Validate(null, Now));

        Assert.True(error.Errors.Contains("$"));
    }

    [Fact]
    public void Validate_TimesWithOffsets_AreStoredInUtc()
    {
        var draft = ValidDraft();
        draft.OccurredAt = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(-5));

        var entry = CrisisSearchValidator.Validate(draft, Now);

        Assert.Equal(TimeSpan.Zero, entry.OccurredAt.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero), entry.OccurredAt);
    }
}

using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Tests.Searches;

namespace WelfareAudit.Core.Tests.Ledger;

public class LedgerEventCodecTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 15, 0, 0, TimeSpan.Zero);

    public static TheoryData<LedgerEvent> Events()
    {
        var id = Guid.NewGuid();
        return new TheoryData<LedgerEvent>
        {
            new SearchLogged(id, CrisisSearchValidator.Validate(CrisisSearchValidatorTests.ValidDraft(), Now), "k:ab"),
            new NextSessionSet(id, Now.AddDays(2)),
            new NextSessionSet(id, null),
            new ReminderSent(id, "overdue", "overdue@2026-11-26", null, "email"),
            new DiscussedWithClient(id, Now, "Talked it through.", "Relieved"),
            new EntryAmended(id, "findings", "corrected", "typo", false),
            new SupervisorReviewed(null, "oid-sup", ReviewOutcomes.Concern, null),
            new SupervisorReviewed(id, "oid-sup", ReviewOutcomes.FollowUpNeeded, "Ask about the plan at supervision."),
            new Checkpoint(10, "ab", Now, "kid", "sig"),
            new AuditExported("oid-sup", Now.AddDays(-30), Now, "bundle", 42, 11),
            new KeyRotated("data", "v2"),
            new KeyRotated("signing", "v3", "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"),
            new WitnessCosigned("w.example/w+01020304+BAAA", "clinic.example/welfare-audit/L1", 7, "cm9vdA==", new string('a', 64), "c2ln"),
        };
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void Decode_OfToFields_RoundTrips(LedgerEvent evt)
    {
        var fields = evt.ToFields();

        var decoded = LedgerEventCodec.Decode(evt.Type, fields.Clear, fields.Sensitive);

        Assert.Equal(evt.ToFields().Clear, decoded.ToFields().Clear);
        Assert.Equal(evt.ToFields().Sensitive, decoded.ToFields().Sensitive);
        Assert.Equal(evt.SearchId, decoded.SearchId);
    }

    [Fact]
    public void ToFields_SearchLogged_KeepsEveryClientTextOutOfTheClearFields()
    {
        var entry = CrisisSearchValidator.Validate(CrisisSearchValidatorTests.ValidDraft(), Now);

        var fields = new SearchLogged(Guid.NewGuid(), entry, "k:ab").ToFields();

        Assert.Equal(["clientIndex", "nextSessionAt", "occurredAt", "searchId"], fields.Clear.Keys);
        var clearText = string.Join("|", fields.Clear.Values);
        foreach (var secret in new[] { entry.ClientRef, entry.Justification, entry.Crisis.DangerSuspected, entry.Findings!, "high", "facebook" })
        {
            Assert.DoesNotContain(secret, clearText, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void ToFields_SupervisorReviewed_OutcomeAndReviewerClearNoteEncrypted()
    {
        var fields = new SupervisorReviewed(Guid.NewGuid(), "oid-sup", ReviewOutcomes.Appropriate, "client named here").ToFields();

        Assert.Equal(["outcome", "reviewer", "searchId"], fields.Clear.Keys);
        Assert.Equal(["note"], fields.Sensitive.Keys);
        Assert.Equal("appropriate", fields.Clear["outcome"]);
    }

    [Fact]
    public void Decode_SupervisorReviewedWithUnknownOutcome_IsAFormatError()
    {
        var fields = new SupervisorReviewed(Guid.NewGuid(), "oid-sup", "fine-by-me", null).ToFields();

        Assert.Throws<FormatException>(() => LedgerEventCodec.Decode(EventTypes.SupervisorReviewed, fields.Clear, fields.Sensitive));
    }

    [Fact]
    public void ToFields_KeyRotated_EverythingClear_PublicKeyOnlyWhenGiven()
    {
        var signing = new KeyRotated(KeyRotated.Signing, "v3", "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE").ToFields();
        var data = new KeyRotated(KeyRotated.Data, "v2").ToFields();

        Assert.Equal(["keyId", "publicKey", "purpose"], signing.Clear.Keys);
        Assert.Empty(signing.Sensitive);
        Assert.Equal(["keyId", "purpose"], data.Clear.Keys);
        Assert.Null(Assert.IsType<KeyRotated>(LedgerEventCodec.Decode(EventTypes.KeyRotated, data.Clear, data.Sensitive)).PublicKey);
    }

    [Fact]
    public void EventTypes_All_ListsEveryEventOnce()
    {
        Assert.Equal(10, EventTypes.All.Count);
        Assert.Contains(EventTypes.KeyRotated, EventTypes.All);
    }
}

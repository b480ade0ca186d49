using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Testing;

/// <summary>Ledger events with plausible content, for tests of ledgers and of what reads them.</summary>
public static class SampleEvents
{
    /// <summary>A search logged at <paramref name="now"/>: occurred an hour before, next session in two days.</summary>
    public static SearchLogged Logged(DateTimeOffset now, string clientRef = "CL-1") => new(
        Guid.NewGuid(),
        new CrisisSearchEntry(
            clientRef,
            now.AddHours(-1),
            new CrisisDetails("Said goodbye in an email; no answer since.", RiskLevel.High,
                [new ContactAttempt(ContactChannel.Phone, now.AddHours(-3)), new ContactAttempt(ContactChannel.Email, now.AddHours(-2))]),
            "No reply by phone or email after an alarming message.",
            new SearchScope([SearchSource.SearchEngine, SearchSource.Facebook], ["first last town"]),
            "A post from this morning.",
            "Called the emergency contact.",
            new ThirdPartyContact("sister", "that I am worried"),
            now.AddDays(2)),
        "index-" + clientRef);
}

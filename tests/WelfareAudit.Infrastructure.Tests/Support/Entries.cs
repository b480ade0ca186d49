using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Infrastructure.Tests.Support;

/// <summary>Crisis entries whose every text is a unique random marker, so a raw scan can look for them.</summary>
public sealed class Markers
{
    public string ClientRef { get; } = "CLIENT-" + Guid.NewGuid().ToString("N")[..12];
    public string Danger { get; } = "DANGER-" + Guid.NewGuid().ToString("N");
    public string Justification { get; } = "JUSTIFY-" + Guid.NewGuid().ToString("N");
    public string Query { get; } = "QUERY-" + Guid.NewGuid().ToString("N");
    public string Findings { get; } = "FINDING-" + Guid.NewGuid().ToString("N");
    public string Actions { get; } = "ACTION-" + Guid.NewGuid().ToString("N");
    public string Recipient { get; } = "RECIPIENT-" + Guid.NewGuid().ToString("N");
    public string Disclosed { get; } = "DISCLOSED-" + Guid.NewGuid().ToString("N");
    public string Note { get; } = "NOTE-" + Guid.NewGuid().ToString("N");
    public string Response { get; } = "RESPONSE-" + Guid.NewGuid().ToString("N");

    public IEnumerable<string> All => [ClientRef, Danger, Justification, Query, Findings, Actions, Recipient, Disclosed, Note, Response];

    public CrisisSearchEntry Entry(DateTimeOffset now) => new(
        ClientRef,
        now.AddHours(-1),
        new CrisisDetails(Danger, RiskLevel.Imminent, [new ContactAttempt(ContactChannel.Phone, now.AddHours(-3)), new ContactAttempt(ContactChannel.Email, now.AddHours(-2))]),
        Justification,
        new SearchScope([SearchSource.SearchEngine, SearchSource.TwitterX], [Query]),
        Findings,
        Actions,
        new ThirdPartyContact(Recipient, Disclosed),
        now.AddDays(2));

    public async Task<SearchLogged> LoggedAsync(IKeyRing keys, DateTimeOffset now) =>
        new(Guid.NewGuid(), Entry(now), BlindIndex.Compute(await keys.GetCurrentAsync(KeyPurpose.Index, default), ClientRef));
}

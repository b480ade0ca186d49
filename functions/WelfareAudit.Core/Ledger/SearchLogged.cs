using System.Text.Json;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Ledger;

/// <summary>A crisis search was logged. <paramref name="ClientIndex"/> is the keyed blind index of the client code.</summary>
public sealed record SearchLogged(Guid Id, CrisisSearchEntry Entry, string ClientIndex) : LedgerEvent
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public override string Type => EventTypes.SearchLogged;

    public override Guid? SearchId => Id;

    public override EventFields ToFields() => new EventFields()
        .WithClear("searchId", IdText(Id))
        .WithClear("occurredAt", Time(Entry.OccurredAt))
        .WithClear("nextSessionAt", Time(Entry.NextSessionAt))
        .WithClear("clientIndex", ClientIndex)
        .WithSensitive("clientRef", Entry.ClientRef)
        .WithSensitive("riskLevel", EnumText.ToText(Entry.Crisis.RiskLevel))
        .WithSensitive("dangerSuspected", Entry.Crisis.DangerSuspected)
        .WithSensitive("contactAttempts", JsonSerializer.Serialize(
            Entry.Crisis.ContactAttempts.Select(a => new { channel = EnumText.ToText(a.Channel), at = Timestamps.ToText(a.At) }), Json))
        .WithSensitive("justification", Entry.Justification)
        .WithSensitive("sources", JsonSerializer.Serialize(Entry.Scope.Sources.Select(EnumText.ToText), Json))
        .WithSensitive("queries", Entry.Scope.Queries.Count == 0 ? null : JsonSerializer.Serialize(Entry.Scope.Queries, Json))
        .WithSensitive("findings", Entry.Findings)
        .WithSensitive("actionsTaken", Entry.ActionsTaken)
        .WithSensitive("thirdPartyContacted", Entry.ThirdPartyContacted is null ? null : JsonSerializer.Serialize(
            new { recipient = Entry.ThirdPartyContacted.Recipient, disclosed = Entry.ThirdPartyContacted.Disclosed }, Json));

    internal static SearchLogged FromFields(IReadOnlyDictionary<string, string> clear, IReadOnlyDictionary<string, string> sensitive)
    {
        var attempts = JsonSerializer.Deserialize<List<AttemptJson>>(sensitive["contactAttempts"], Json)!
            .Select(a => new ContactAttempt(ParseEnum<ContactChannel>(a.Channel), Timestamps.Parse(a.At)))
            .ToList();
        var sources = JsonSerializer.Deserialize<List<string>>(sensitive["sources"], Json)!.Select(ParseEnum<SearchSource>).ToList();
        var queries = sensitive.TryGetValue("queries", out var q) ? JsonSerializer.Deserialize<List<string>>(q, Json)! : [];
        var third = sensitive.TryGetValue("thirdPartyContacted", out var t) ? JsonSerializer.Deserialize<ThirdPartyJson>(t, Json) : null;
        var entry = new CrisisSearchEntry(
            sensitive["clientRef"],
            Timestamps.Parse(clear["occurredAt"]),
            new CrisisDetails(sensitive["dangerSuspected"], ParseEnum<RiskLevel>(sensitive["riskLevel"]), attempts),
            sensitive["justification"],
            new SearchScope(sources, queries),
            sensitive.GetValueOrDefault("findings"),
            sensitive.GetValueOrDefault("actionsTaken"),
            third is null ? null : new ThirdPartyContact(third.Recipient, third.Disclosed),
            clear.TryGetValue("nextSessionAt", out var n) ? Timestamps.Parse(n) : null);
        return new SearchLogged(Guid.Parse(clear["searchId"]), entry, clear["clientIndex"]);
    }

    private static T ParseEnum<T>(string text) where T : struct, Enum =>
        EnumText.TryParse(text, out T value) ? value : throw new FormatException($"Unknown {typeof(T).Name} in ledger.");

    private sealed record AttemptJson(string Channel, string At);

    private sealed record ThirdPartyJson(string Recipient, string Disclosed);
}

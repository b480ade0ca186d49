using System.Globalization;

namespace WelfareAudit.Core.Ledger;

/// <summary>Rebuilds a typed event from its clear and (decrypted) sensitive fields.</summary>
public static class LedgerEventCodec
{
    public static LedgerEvent Decode(string type, IReadOnlyDictionary<string, string> clear, IReadOnlyDictionary<string, string> sensitive)
    {
        return type switch
        {
            EventTypes.SearchLogged => SearchLogged.FromFields(clear, sensitive),
            EventTypes.NextSessionSet => new NextSessionSet(SearchId(clear), OptionalTime(clear, "nextSessionAt")),
            EventTypes.ReminderSent => new ReminderSent(SearchId(clear), clear["kind"], clear["reminderKey"], OptionalTime(clear, "sessionAt"), clear["channel"]),
            EventTypes.DiscussedWithClient => new DiscussedWithClient(SearchId(clear), Timestamps.Parse(clear["discussedAt"]),
                sensitive.GetValueOrDefault("note"), sensitive.GetValueOrDefault("clientResponse")),
            EventTypes.EntryAmended => new EntryAmended(SearchId(clear), clear["field"], sensitive["value"], sensitive["reason"], clear["closesSearch"] == "true"),
            EventTypes.SupervisorReviewed => new SupervisorReviewed(
                clear.TryGetValue("searchId", out var s) ? Guid.Parse(s) : null, clear["reviewer"], Outcome(clear["outcome"]), sensitive.GetValueOrDefault("note")),
            EventTypes.Checkpoint => new Checkpoint(Long(clear["upToSequence"]), clear["headHash"], Timestamps.Parse(clear["signedAt"]), clear["signingKeyId"], clear["signature"]),
            EventTypes.AuditExported => new AuditExported(clear["exportedBy"], OptionalTime(clear, "from"), OptionalTime(clear, "to"),
                clear["format"], Long(clear["count"]), clear.TryGetValue("checkpointSequence", out var c) ? Long(c) : null),
            EventTypes.KeyRotated => new KeyRotated(clear["purpose"], clear["keyId"], clear.GetValueOrDefault("publicKey")),
            EventTypes.WitnessCosigned => new WitnessCosigned(clear["witness"], clear["origin"], Long(clear["treeSize"]), clear["rootHash"], clear["headHash"], clear["signature"]),
            _ => throw new FormatException("Unknown event type in ledger."),
        };
    }

    /// <summary>The search id of an event, read from its clear fields only (no decryption needed).</summary>
    public static Guid? SearchIdOf(IReadOnlyDictionary<string, string> clear) =>
        clear.TryGetValue("searchId", out var s) ? Guid.Parse(s) : null;

    private static string Outcome(string text) => ReviewOutcomes.IsValid(text) ? text : throw new FormatException("Unknown review outcome in ledger.");

    private static Guid SearchId(IReadOnlyDictionary<string, string> clear) => Guid.Parse(clear["searchId"]);

    private static DateTimeOffset? OptionalTime(IReadOnlyDictionary<string, string> clear, string name) =>
        clear.TryGetValue(name, out var t) ? Timestamps.Parse(t) : null;

    private static long Long(string text) => long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text.Json;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Ledger;

/// <summary>The event types of a ledger. The names are part of the hashed format: never rename one.</summary>
public static class EventTypes
{
    public const string SearchLogged = nameof(SearchLogged);
    public const string NextSessionSet = nameof(NextSessionSet);
    public const string ReminderSent = nameof(ReminderSent);
    public const string DiscussedWithClient = nameof(DiscussedWithClient);
    public const string EntryAmended = nameof(EntryAmended);
    public const string SupervisorReviewed = nameof(SupervisorReviewed);
    public const string Checkpoint = nameof(Checkpoint);
    public const string AuditExported = nameof(AuditExported);
    public const string KeyRotated = nameof(KeyRotated);

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        SearchLogged, NextSessionSet, ReminderSent, DiscussedWithClient, EntryAmended,
        SupervisorReviewed, Checkpoint, AuditExported, KeyRotated,
    };
}

/// <summary>
/// An event of a ledger. Nothing in a ledger is edited or deleted: every change, correction and
/// export is a new event. <see cref="ToFields"/> decides, per field, what is clear and what is sensitive.
/// </summary>
public abstract record LedgerEvent
{
    public abstract string Type { get; }

    /// <summary>The search this event belongs to, if any: its projection row is updated with the event.</summary>
    public virtual Guid? SearchId => null;

    public abstract EventFields ToFields();

    internal static string IdText(Guid id) => id.ToString("D");

    internal static string Bool(bool value) => value ? "true" : "false";

    internal static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string? Time(DateTimeOffset? value) => value is null ? null : Timestamps.ToText(value.Value);
}

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

/// <summary>The next session with the client was set (null: not known yet).</summary>
public sealed record NextSessionSet(Guid Id, DateTimeOffset? NextSessionAt) : LedgerEvent
{
    public override string Type => EventTypes.NextSessionSet;

    public override Guid? SearchId => Id;

    public override EventFields ToFields() => new EventFields()
        .WithClear("searchId", IdText(Id))
        .WithClear("nextSessionAt", Time(NextSessionAt));
}

/// <summary>
/// A reminder about a search was sent. <paramref name="ReminderKey"/> names the due item
/// (kind and session), so that the same reminder is never sent twice.
/// </summary>
public sealed record ReminderSent(Guid Id, string Kind, string ReminderKey, DateTimeOffset? SessionAt, string Channel) : LedgerEvent
{
    public override string Type => EventTypes.ReminderSent;

    public override Guid? SearchId => Id;

    public override EventFields ToFields() => new EventFields()
        .WithClear("searchId", IdText(Id))
        .WithClear("kind", Kind)
        .WithClear("reminderKey", ReminderKey)
        .WithClear("sessionAt", Time(SessionAt))
        .WithClear("channel", Channel);
}

/// <summary>The therapist discussed the search with the client, as the policy promises.</summary>
public sealed record DiscussedWithClient(Guid Id, DateTimeOffset DiscussedAt, string? Note, string? ClientResponse) : LedgerEvent
{
    public override string Type => EventTypes.DiscussedWithClient;

    public override Guid? SearchId => Id;

    public override EventFields ToFields() => new EventFields()
        .WithClear("searchId", IdText(Id))
        .WithClear("discussedAt", Time(DiscussedAt))
        .WithSensitive("note", Note)
        .WithSensitive("clientResponse", ClientResponse);
}

/// <summary>
/// A correction of a logged search. The original stays; <paramref name="ClosesSearch"/> marks an
/// amendment that ends the follow-up (for example, an entry logged in error).
/// </summary>
public sealed record EntryAmended(Guid Id, string Field, string Value, string Reason, bool ClosesSearch) : LedgerEvent
{
    public override string Type => EventTypes.EntryAmended;

    public override Guid? SearchId => Id;

    public override EventFields ToFields() => new EventFields()
        .WithClear("searchId", IdText(Id))
        .WithClear("field", Field)
        .WithClear("closesSearch", Bool(ClosesSearch))
        .WithSensitive("value", Value)
        .WithSensitive("reason", Reason);
}

/// <summary>A supervisor reviewed a search (or the whole ledger when <paramref name="Id"/> is null).</summary>
public sealed record SupervisorReviewed(Guid? Id, string Reviewer, string? Note) : LedgerEvent
{
    public override string Type => EventTypes.SupervisorReviewed;

    public override Guid? SearchId => Id;

    public override EventFields ToFields() => new EventFields()
        .WithClear("searchId", Id is null ? null : IdText(Id.Value))
        .WithClear("reviewer", Reviewer)
        .WithSensitive("note", Note);
}

/// <summary>
/// A signed statement of the chain head: proves what the ledger held at that point, also when nothing
/// else happened. <paramref name="Signature"/> is ECDSA P-256 / SHA-256 (IEEE P1363, base64) over
/// <c>Audit.CheckpointStatement</c> of (ledger id, <paramref name="UpToSequence"/>, <paramref name="HeadHash"/>, <paramref name="SignedAt"/>).
/// </summary>
public sealed record Checkpoint(long UpToSequence, string HeadHash, DateTimeOffset SignedAt, string SigningKeyId, string Signature) : LedgerEvent
{
    public override string Type => EventTypes.Checkpoint;

    public override EventFields ToFields() => new EventFields()
        .WithClear("upToSequence", Int(UpToSequence))
        .WithClear("headHash", HeadHash)
        .WithClear("signedAt", Time(SignedAt))
        .WithClear("signingKeyId", SigningKeyId)
        .WithClear("signature", Signature);
}

/// <summary>An audit export was made: the log of the log.</summary>
public sealed record AuditExported(string ExportedBy, DateTimeOffset? From, DateTimeOffset? To, string Format, long Count, long? CheckpointSequence) : LedgerEvent
{
    public override string Type => EventTypes.AuditExported;

    public override EventFields ToFields() => new EventFields()
        .WithClear("exportedBy", ExportedBy)
        .WithClear("from", Time(From))
        .WithClear("to", Time(To))
        .WithClear("format", Format)
        .WithClear("count", Int(Count))
        .WithClear("checkpointSequence", CheckpointSequence is null ? null : Int(CheckpointSequence.Value));
}

/// <summary>A key was rotated: new data is encrypted under <paramref name="KeyId"/>; older keys stay readable.</summary>
public sealed record KeyRotated(string Purpose, string KeyId) : LedgerEvent
{
    public override string Type => EventTypes.KeyRotated;

    public override EventFields ToFields() => new EventFields()
        .WithClear("purpose", Purpose)
        .WithClear("keyId", KeyId);
}

namespace WelfareAudit.Core.Ledger;

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

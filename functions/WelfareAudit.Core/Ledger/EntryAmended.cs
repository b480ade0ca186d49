namespace WelfareAudit.Core.Ledger;

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

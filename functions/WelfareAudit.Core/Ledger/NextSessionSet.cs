namespace WelfareAudit.Core.Ledger;

/// <summary>The next session with the client was set (null: not known yet).</summary>
public sealed record NextSessionSet(Guid Id, DateTimeOffset? NextSessionAt) : LedgerEvent
{
    public override string Type => EventTypes.NextSessionSet;

    public override Guid? SearchId => Id;

    public override EventFields ToFields() => new EventFields()
        .WithClear("searchId", IdText(Id))
        .WithClear("nextSessionAt", Time(NextSessionAt));
}

namespace WelfareAudit.Core.Ledger;

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

namespace WelfareAudit.Core.Ledger;

/// <summary>
/// A supervisor reviewed a search (or the whole ledger when <paramref name="Id"/> is null: no route appends
/// that). <paramref name="Reviewer"/> is the supervisor's object id; <paramref name="Outcome"/> is one of
/// <see cref="ReviewOutcomes"/>; the note may describe the client, so it is sensitive.
/// </summary>
public sealed record SupervisorReviewed(Guid? Id, string Reviewer, string Outcome, string? Note) : LedgerEvent
{
    public override string Type => EventTypes.SupervisorReviewed;

    public override Guid? SearchId => Id;

    public override EventFields ToFields() => new EventFields()
        .WithClear("searchId", Id is null ? null : IdText(Id.Value))
        .WithClear("reviewer", Reviewer)
        .WithClear("outcome", Outcome)
        .WithSensitive("note", Note);
}

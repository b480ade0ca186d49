namespace WelfareAudit.Core.Ledger;

/// <summary>
/// An accounting of the searches about one client was produced (HIPAA 45 CFR 164.528, GDPR Art. 15): who asked,
/// for which client (its blind index only, never the code), in which format, how many of this ledger's searches it
/// listed, and up to which sequence it read this ledger (so the same accounting can be produced again from the
/// ledger). The time is the event's <c>recordedAt</c>. It belongs to no search, and it carries the client's blind
/// index so a later accounting for the same client lists it too.
/// </summary>
public sealed record ClientAccountingProvided(string RequestedBy, string ClientIndex, string Format, long Count, long UpToSequence) : LedgerEvent
{
    public override string Type => EventTypes.ClientAccountingProvided;

    public override EventFields ToFields() => new EventFields()
        .WithClear("requestedBy", RequestedBy)
        .WithClear("clientIndex", ClientIndex)
        .WithClear("format", Format)
        .WithClear("count", Int(Count))
        .WithClear("upToSequence", Int(UpToSequence));
}

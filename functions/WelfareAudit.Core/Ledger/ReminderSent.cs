namespace WelfareAudit.Core.Ledger;

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

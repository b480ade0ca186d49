namespace WelfareAudit.Core.Ledger;

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

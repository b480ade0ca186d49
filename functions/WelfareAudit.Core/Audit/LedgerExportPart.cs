namespace WelfareAudit.Core.Audit;

/// <summary>
/// One ledger's part of an export: the events <see cref="FirstSequence"/> through <see cref="LastSequence"/>
/// (the head the export's checkpoint signed). <see cref="FirstSequence"/> is 1, or the latest checkpoint
/// before the range whose signed head is its own previous hash, so the part is anchored either on the
/// chain's genesis or on a signed head.
/// </summary>
public sealed record LedgerExportPart(
    string LedgerId,
    long FirstSequence,
    long LastSequence,
    long Events,
    long InRange,
    CheckpointRecord Checkpoint,
    IReadOnlyList<string> CheckpointKeyIds)
{
    public bool AnchoredOnCheckpoint => FirstSequence > 1;

    /// <summary>Where the part's content is in the export's <see cref="AuditExport.Spool"/>, when it has one.</summary>
    public SpoolSegment? Spooled { get; init; }
}

using WelfareAudit.Core.Ledger;

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
}

/// <summary>
/// A prepared export: verified, checkpointed, ready to stream in its <see cref="Format"/>. <see cref="Excluded"/>
/// names the ledgers that failed verification and were therefore left out (never signed, never presented as intact).
/// </summary>
public sealed record AuditExport(
    string ExportId,
    DateTimeOffset GeneratedAt,
    string GeneratedBy,
    AuditExportRequest Request,
    IReadOnlyList<LedgerExportPart> Ledgers,
    IAuditExportFormat Format,
    IReadOnlyList<LedgerFinding>? Excluded = null)
{
    public IReadOnlyList<LedgerFinding> ExcludedLedgers => Excluded ?? [];

    public long Events => Ledgers.Sum(l => l.Events);

    public long InRange => Ledgers.Sum(l => l.InRange);

    /// <summary>The file name a download gets.</summary>
    public string FileName => $"welfare-audit-{Timestamps.ToText(GeneratedAt)[..10]}-{ExportId[..8]}.{Format.FileExtension}";

    public string ContentType => Format.ContentType;
}

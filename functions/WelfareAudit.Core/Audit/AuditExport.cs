using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// A prepared export: verified, checkpointed, ready to stream in its <see cref="Format"/>. <see cref="Excluded"/>
/// names the ledgers that failed verification and were therefore left out (never signed, never presented as intact).
/// <see cref="Client"/>, when set, makes the bundle a client accounting bundle that discloses that client's events only.
/// </summary>
public sealed record AuditExport(
    string ExportId,
    DateTimeOffset GeneratedAt,
    string GeneratedBy,
    AuditExportRequest Request,
    IReadOnlyList<LedgerExportPart> Ledgers,
    IAuditExportFormat Format,
    IReadOnlyList<LedgerFinding>? Excluded = null,
    ClientDisclosure? Client = null)
{
    public IReadOnlyList<LedgerFinding> ExcludedLedgers => Excluded ?? [];

    /// <summary>
    /// The format's content for each part, written during the verifying pass (<see cref="LedgerExportPart.Spooled"/>);
    /// null when the format reads the ledgers again as it writes. Disposed once the export has been written.
    /// </summary>
    public IAuditEventSpool? Spool { get; init; }

    public long Events => Ledgers.Sum(l => l.Events);

    public long InRange => Ledgers.Sum(l => l.InRange);

    /// <summary>The file name a download gets.</summary>
    public string FileName => $"welfare-audit-{Timestamps.ToText(GeneratedAt)[..10]}-{ExportId[..8]}.{Format.FileExtension}";

    public string ContentType => Format.ContentType;
}

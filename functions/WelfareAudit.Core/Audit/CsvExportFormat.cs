using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Audit;

/// <summary>One row per search, for a spreadsheet (<see cref="AuditCsvWriter"/>); client codes or pseudonyms as asked.</summary>
public sealed class CsvExportFormat(AuditSearchRows rows, IClientIndexer indexer, TimeProvider time) : IAuditExportFormat
{
    public string Name => AuditFormat.Csv;

    public string ContentType => "text/csv; charset=utf-8";

    public string FileExtension => "csv";

    public async Task<IReadOnlyDictionary<string, long>> WriteAsync(AuditExport export, Stream output, CancellationToken cancellationToken)
    {
        using var pseudonyms = export.Request.WithholdClientRef ? new ClientPseudonyms(indexer) : null;
        return await AuditCsvWriter.WriteAsync(rows.ReadAsync(export, time.GetUtcNow(), pseudonyms, cancellationToken), output, cancellationToken);
    }
}

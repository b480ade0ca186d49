using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Audit;

/// <summary>A FHIR R4 Bundle of AuditEvent resources (<see cref="AuditFhirWriter"/>); client codes or pseudonyms as asked.</summary>
public sealed class FhirExportFormat(IAuditLedgerReader reader, IClientIndexer indexer) : IAuditExportFormat
{
    public string Name => AuditFormat.Fhir;

    public string ContentType => "application/fhir+json; charset=utf-8";

    public string FileExtension => "fhir.json";

    public async Task<IReadOnlyDictionary<string, long>> WriteAsync(AuditExport export, Stream output, CancellationToken cancellationToken)
    {
        using var pseudonyms = export.Request.WithholdClientRef ? new ClientPseudonyms(indexer) : null;
        return await AuditFhirWriter.WriteAsync(export, reader, pseudonyms, output, cancellationToken);
    }
}

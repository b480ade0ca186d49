using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Audit;

/// <summary>A printable report for a board (<see cref="AuditHtmlReport"/>).</summary>
public sealed class HtmlExportFormat(AuditSearchRows rows, IClientIndexer indexer, AuditReportOptions options, TimeProvider time) : IAuditExportFormat
{
    public string Name => AuditFormat.Html;

    public string ContentType => "text/html; charset=utf-8";

    public string FileExtension => "html";

    /// <summary>The report is self-contained: inline styles, no scripts, no requests.</summary>
    public string ContentSecurityPolicy => "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public async Task<IReadOnlyDictionary<string, long>> WriteAsync(AuditExport export, Stream output, CancellationToken cancellationToken)
    {
        // A board reads pseudonyms: the report never carries client codes.
        using var pseudonyms = new ClientPseudonyms(indexer);
        var now = time.GetUtcNow();
        return await AuditHtmlReport.WriteAsync(export, rows.ReadAsync(export, now, pseudonyms, cancellationToken), options, now, output, cancellationToken);
    }
}

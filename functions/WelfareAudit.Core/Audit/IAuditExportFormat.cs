namespace WelfareAudit.Core.Audit;

/// <summary>
/// One format of the audit export. A new format is a class implementing this and one registration
/// (<c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IAuditExportFormat, MyFormat&gt;())</c>):
/// <see cref="AuditExportFormats"/> makes it a value of the <c>format</c> parameter, and the export use case
/// verifies, checkpoints and records it like every other format.
/// </summary>
public interface IAuditExportFormat
{
    /// <summary>The value of the <c>format</c> parameter: lower-case ASCII letters.</summary>
    string Name { get; }

    /// <summary>The media type of the download, with its charset.</summary>
    string ContentType { get; }

    /// <summary>What the download's file name ends with, after the dot (<c>csv</c>, <c>bundle.jsonl</c>).</summary>
    string FileExtension { get; }

    /// <summary>The Content-Security-Policy a browser opening the download needs, or null when it is not a page.</summary>
    string? ContentSecurityPolicy => null;

    /// <summary>
    /// A spool for the format's content, filled during the export's verifying pass so that each ledger is read once
    /// (<see cref="AuditExport.Spool"/>); null (the default) when the format reads the ledgers again as it writes.
    /// </summary>
    IAuditEventSpool? CreateSpool(AuditExportRequest request) => null;

    /// <summary>Streams the export to <paramref name="output"/>; returns how many items were written per ledger (recorded in each <see cref="Ledger.AuditExported"/>).</summary>
    Task<IReadOnlyDictionary<string, long>> WriteAsync(AuditExport export, Stream output, CancellationToken cancellationToken);
}

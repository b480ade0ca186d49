namespace WelfareAudit.Core.Audit;

/// <summary>
/// The names of the built-in export formats, for code that builds a request. What the export accepts is
/// whatever is registered (<see cref="AuditExportFormats"/>).
/// </summary>
public static class AuditFormat
{
    /// <summary>JSON lines a board can verify offline with <c>welfare-audit verify</c>.</summary>
    public const string Bundle = "bundle";

    /// <summary>One row per search, for a spreadsheet.</summary>
    public const string Csv = "csv";

    /// <summary>A FHIR R4 Bundle of AuditEvent resources.</summary>
    public const string Fhir = "fhir";

    /// <summary>A printable report for a board.</summary>
    public const string Html = "html";
}

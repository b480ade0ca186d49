using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Http;

/// <summary>
/// The audit endpoints: the public signing key, and the export, streamed. Everything that can be
/// refused (role, parameters, a ledger that fails verification) is refused before the first byte, as a
/// problem response; after that the export is written as it is read, so memory does not grow with it.
/// </summary>
public sealed partial class AuditHandlers(AuditExportService audits, ILogger<AuditHandlers> logger)
{
    /// <summary>Names the ledgers an export of every ledger left out because they failed verification.</summary>
    public const string ExcludedLedgersHeader = "X-Excluded-Ledgers";

    private static readonly JsonSerializerOptions Output = new(JsonSerializerDefaults.Web);

    private static readonly HashSet<string> ExportParameters = new(StringComparer.Ordinal) { "from", "to", "therapist", "format", "withholdClientRef" };

    public async Task<IResult> GetSigningKey(HttpContext context)
    {
        var key = await audits.GetSigningKeyAsync(context.RequestAborted);
        return TypedResults.Json(new { keyId = key.KeyId, algorithm = "ECDSA P-256, SHA-256, IEEE P1363 signature (r||s), base64", publicKey = key.PublicKeyPem }, Output);
    }

    public async Task<IResult> ExportAudit(HttpContext context, Caller caller)
    {        var query = context.Request.Query;
        var errors = new ValidationErrors();
        foreach (var (name, values) in query)
        {
            if (!ExportParameters.Contains(name))
            {
                errors.Add(name, "is not a parameter of the export (from, to, therapist, format, withholdClientRef)");
            }
            else if (values.Count > 1)
            {
                errors.Add(name, "must be given once");
            }
        }
        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }
        var request = AuditExportRequest.Parse(query["from"], query["to"], query["therapist"], query["format"], query["withholdClientRef"], audits.Formats);
        var export = await audits.PrepareAsync(caller, request, context.RequestAborted);
        return new StreamedExport(export, audits, logger);
    }

    /// <summary>Writes the export to the response as it is read (chunked), then records it in the ledgers.</summary>
    private sealed class StreamedExport(AuditExport export, AuditExportService audits, ILogger logger) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = export.ContentType;
            response.Headers.ContentDisposition = $"attachment; filename=\"{export.FileName}\"";
            response.Headers["X-Export-Id"] = export.ExportId;
            if (export.ExcludedLedgers.Count > 0)
            {
                // Every format: the ledgers left out because they failed verification (ledger id, sequence, kind).
                response.Headers[ExcludedLedgersHeader] = string.Join(", ", export.ExcludedLedgers.Select(f =>
                    $"{f.LedgerId};sequence={f.Problem.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)};kind={f.Problem.Kind}"));
            }
            if (export.Format.ContentSecurityPolicy is { } policy)
            {
                response.Headers.ContentSecurityPolicy = policy;
            }
            await StreamedBody.WriteOrAbortAsync(httpContext, (body, ct) => audits.WriteAsync(export, body, ct),
                () => Log.ExportAborted(logger, export.ExportId), e => Log.ExportFailed(logger, export.ExportId, e));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Export {ExportId} aborted by the client")]
        public static partial void ExportAborted(ILogger logger, string exportId);

        [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "Export {ExportId} failed while streaming")]
        public static partial void ExportFailed(ILogger logger, string exportId, Exception exception);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WelfareAudit.Core.Accounting;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Http;

/// <summary>
/// The client's accounting (docs/api.md, docs/audit.md). The client code comes in the JSON body, never in the URL: a
/// URL is written to request logs and telemetry this application does not control (the platform's front end, the
/// Functions host, proxies, browser history). Everything that can be refused is refused before the first byte; the
/// page is answered whole, the bundle streamed; either way the accounting is then recorded in every ledger it covered.
/// </summary>
public sealed partial class AccountingHandlers(ClientAccountingService accounting, ILogger<AccountingHandlers> logger)
{
    public const string AccountingIdHeader = "X-Accounting-Id";

    public async Task<IResult> ProvideClientAccounting(HttpContext context, Caller caller)
    {
        var (draft, bytes) = await RequestBody.ReadAsync<ClientAccountingDraft>(context.Request, context.RequestAborted);
        var request = ClientAccountingRequest.Parse(draft);
        var claim = SearchHandlers.Idempotency(context, caller, bytes, nameof(ProvideClientAccounting), null);
        var prepared = await accounting.PrepareAsync(caller, request, context.RequestAborted);
        Log.Prepared(logger, prepared.AccountingId, prepared.Searches.Count, prepared.Ledgers.Count, request.Format);
        if (request.Format == ClientAccountingFormat.Html)
        {
            var page = ClientAccountingPage.Render(prepared);
            var replayed = await accounting.RecordAsync(prepared, claim, context.RequestAborted);
            return new Page(prepared, page, replayed);
        }
        return new StreamedBundle(prepared, claim, accounting, logger);
    }

    private static void Headers(HttpResponse response, ClientAccounting prepared, string contentType, string disposition)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers.ContentDisposition = $"{disposition}; filename=\"{prepared.FileName}\"";
        response.Headers[AccountingIdHeader] = prepared.AccountingId;
    }

    private sealed class Page(ClientAccounting prepared, string html, bool replayed) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            Headers(response, prepared, ClientAccountingPage.ContentType, "inline");
            response.Headers.ContentSecurityPolicy = ClientAccountingPage.ContentSecurityPolicy;
            if (replayed)
            {
                response.Headers[SearchHandlers.IdempotentReplayedHeader] = "true";
            }
            return response.WriteAsync(html, httpContext.RequestAborted);
        }
    }

    /// <summary>Writes the bundle as it is read (chunked); the accounting is recorded when it ends, also when cut off.</summary>
    private sealed class StreamedBundle(ClientAccounting prepared, IdempotencyClaim? claim, ClientAccountingService accounting, ILogger logger) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            Headers(httpContext.Response, prepared, "application/x-ndjson; charset=utf-8", "attachment");
            await StreamedBody.WriteOrAbortAsync(httpContext, (body, ct) => accounting.WriteBundleAsync(prepared, claim, body, ct),
                () => Log.Aborted(logger, prepared.AccountingId), e => Log.Failed(logger, prepared.AccountingId, e));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Client accounting {AccountingId} prepared: {Searches} search(es) in {Ledgers} ledger(s), format {Format}")]
        public static partial void Prepared(ILogger logger, string accountingId, int searches, int ledgers, string format);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Client accounting {AccountingId} aborted by the client")]
        public static partial void Aborted(ILogger logger, string accountingId);

        [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Client accounting {AccountingId} failed while streaming")]
        public static partial void Failed(ILogger logger, string accountingId, Exception exception);
    }
}

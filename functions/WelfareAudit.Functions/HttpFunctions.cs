using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WelfareAudit.Http;

namespace WelfareAudit.Functions;

/// <summary>
/// One-line HTTP trigger adapters over the shared route table (<see cref="Routes.All"/>): the SDK reads the
/// attributes at build time, so each names the table's template, and each runs the same dispatch as the
/// local host (caller, role, rate budget, handler). Authorization level is anonymous because identity
/// comes from App Service Authentication, not from function keys.
/// </summary>
public sealed class HttpFunctions(ApiDispatch dispatch)
{
    [Function(nameof(LogSearch))]
    public async Task<IActionResult> LogSearch([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Searches)] HttpRequest req) =>
        new ResultAction(await dispatch.RunAsync(nameof(LogSearch), req.HttpContext));

    [Function(nameof(ListSearches))]
    public async Task<IActionResult> ListSearches([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Searches)] HttpRequest req) =>
        new ResultAction(await dispatch.RunAsync(nameof(ListSearches), req.HttpContext));

    [Function(nameof(GetSearch))]
    public async Task<IActionResult> GetSearch([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Search)] HttpRequest req, string id) =>
        new ResultAction(await dispatch.RunAsync(nameof(GetSearch), req.HttpContext, id));

    [Function(nameof(SetNextSession))]
    public async Task<IActionResult> SetNextSession([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Routes.NextSession)] HttpRequest req, string id) =>
        new ResultAction(await dispatch.RunAsync(nameof(SetNextSession), req.HttpContext, id));

    [Function(nameof(RecordDiscussion))]
    public async Task<IActionResult> RecordDiscussion([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Discussion)] HttpRequest req, string id) =>
        new ResultAction(await dispatch.RunAsync(nameof(RecordDiscussion), req.HttpContext, id));

    [Function(nameof(AmendSearch))]
    public async Task<IActionResult> AmendSearch([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Amendments)] HttpRequest req, string id) =>
        new ResultAction(await dispatch.RunAsync(nameof(AmendSearch), req.HttpContext, id));

    [Function(nameof(VerifyLedger))]
    public async Task<IActionResult> VerifyLedger([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.VerifyLedger)] HttpRequest req) =>
        new ResultAction(await dispatch.RunAsync(nameof(VerifyLedger), req.HttpContext));

    [Function(nameof(ExportAudit))]
    public async Task<IActionResult> ExportAudit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.AuditExport)] HttpRequest req) =>
        new ResultAction(await dispatch.RunAsync(nameof(ExportAudit), req.HttpContext));

    [Function(nameof(RecordCosignatures))]
    public async Task<IActionResult> RecordCosignatures([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.LedgerCosignatures)] HttpRequest req) =>
        new ResultAction(await dispatch.RunAsync(nameof(RecordCosignatures), req.HttpContext));

    [Function(nameof(GetSigningKey))]
    public async Task<IActionResult> GetSigningKey([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.AuditSigningKey)] HttpRequest req) =>
        new ResultAction(await dispatch.RunAsync(nameof(GetSigningKey), req.HttpContext));

    [Function(nameof(ListReviews))]
    public async Task<IActionResult> ListReviews([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Reviews)] HttpRequest req) =>
        new ResultAction(await dispatch.RunAsync(nameof(ListReviews), req.HttpContext));

    [Function(nameof(ReviewSearch))]
    public async Task<IActionResult> ReviewSearch([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Review)] HttpRequest req, string id) =>
        new ResultAction(await dispatch.RunAsync(nameof(ReviewSearch), req.HttpContext, id));

    [Function(nameof(GetOversight))]
    public async Task<IActionResult> GetOversight([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Oversight)] HttpRequest req) =>
        new ResultAction(await dispatch.RunAsync(nameof(GetOversight), req.HttpContext));

    [Function(nameof(Health))]
    public async Task<IActionResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Health)] HttpRequest req) =>
        new ResultAction(await dispatch.RunAsync(nameof(Health), req.HttpContext));

    [Function(nameof(PhonePage))]
    public async Task<IActionResult> PhonePage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.PhonePage)] HttpRequest req, string? asset) =>
        new ResultAction(await dispatch.RunAsync(nameof(PhonePage), req.HttpContext, asset));
}

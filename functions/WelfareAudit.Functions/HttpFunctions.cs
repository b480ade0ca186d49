using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WelfareAudit.Http;

namespace WelfareAudit.Functions;

/// <summary>
/// One-line HTTP trigger adapters over the shared handlers. Authorization level is anonymous because
/// identity comes from App Service Authentication (checked by the handlers), not from function keys.
/// </summary>
public sealed class HttpFunctions(SearchHandlers handlers, AuditHandlers audit, PhonePage page)
{
    [Function("LogSearch")]
    public async Task<IActionResult> LogSearch([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Searches)] HttpRequest req) =>
        new ResultAction(await handlers.LogSearch(req.HttpContext));

    [Function("ListSearches")]
    public async Task<IActionResult> ListSearches([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Searches)] HttpRequest req) =>
        new ResultAction(await handlers.ListSearches(req.HttpContext));

    [Function("GetSearch")]
    public async Task<IActionResult> GetSearch([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Search)] HttpRequest req, string id) =>
        new ResultAction(await handlers.GetSearch(req.HttpContext, id));

    [Function("SetNextSession")]
    public async Task<IActionResult> SetNextSession([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Routes.NextSession)] HttpRequest req, string id) =>
        new ResultAction(await handlers.SetNextSession(req.HttpContext, id));

    [Function("RecordDiscussion")]
    public async Task<IActionResult> RecordDiscussion([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Discussion)] HttpRequest req, string id) =>
        new ResultAction(await handlers.RecordDiscussion(req.HttpContext, id));

    [Function("AmendSearch")]
    public async Task<IActionResult> AmendSearch([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Amendments)] HttpRequest req, string id) =>
        new ResultAction(await handlers.AmendSearch(req.HttpContext, id));

    [Function("VerifyLedger")]
    public async Task<IActionResult> VerifyLedger([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.VerifyLedger)] HttpRequest req) =>
        new ResultAction(await handlers.VerifyLedger(req.HttpContext));

    [Function("ExportAudit")]
    public async Task<IActionResult> ExportAudit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.AuditExport)] HttpRequest req) =>
        new ResultAction(await audit.ExportAudit(req.HttpContext));

    [Function("GetSigningKey")]
    public async Task<IActionResult> GetSigningKey([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.AuditSigningKey)] HttpRequest req) =>
        new ResultAction(await audit.GetSigningKey(req.HttpContext));

    [Function("Health")]
    public async Task<IActionResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Health)] HttpRequest req) =>
        new ResultAction(await handlers.Health(req.HttpContext));

    [Function("PhonePage")]
    public async Task<IActionResult> PhonePage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.PhonePage)] HttpRequest req, string? asset) =>
        new ResultAction(await page.Serve(req.HttpContext, asset));
}

/// <summary>Runs a minimal-API <see cref="IResult"/> through the Functions ASP.NET Core integration, which executes action results.</summary>
internal sealed class ResultAction(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace WelfareAudit.Functions;

/// <summary>Runs a minimal-API <see cref="IResult"/> through the Functions ASP.NET Core integration, which executes action results.</summary>
internal sealed class ResultAction(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
}

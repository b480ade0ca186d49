using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http.Identity;

namespace WelfareAudit.Http;

/// <summary>
/// Runs a route of <see cref="Routes.All"/> the same way on both hosts: API response headers, the caller
/// (with the request-origin checks), the route's role, its rate budget, then its handler; every fault
/// becomes a problem response. The local host maps the table onto it; each Functions adapter is one call.
/// </summary>
public sealed class ApiDispatch(ApiServices services, CallerResolver callers, CallerRateLimits limits, ILogger<ApiDispatch> logger)
{
    private static readonly FrozenDictionary<string, ApiRoute> ByName = Routes.All.ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);

    /// <summary>
    /// Runs the route called <paramref name="name"/>. <paramref name="routeValue"/> is the template's
    /// parameter as the host bound it; when null it is read from the request's route values.
    /// </summary>
    public Task<IResult> RunAsync(string name, HttpContext context, string? routeValue = null) =>
        RunAsync(ByName[name], context, routeValue);

    public async Task<IResult> RunAsync(ApiRoute route, HttpContext context, string? routeValue = null)
    {
        routeValue ??= route.Parameter is { } parameter ? context.Request.RouteValues[parameter] as string : null;
        if (!route.Template.StartsWith("api/", StringComparison.Ordinal))
        {
            // The phone page sets its own headers and answers its own 404.
            return await route.Handle(new ApiCall(context, null, routeValue, services));
        }
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        try
        {
            Caller? caller = null;
            if (route.RequiresIdentity)
            {
                caller = callers.Resolve(context);
                RequireAccess(route.Access, caller);
                if (route.Budget is { } budget)
                {
                    limits.Spend(budget, caller);
                }
            }
            return await route.Handle(new ApiCall(context, caller, routeValue, services));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return TypedResults.StatusCode(StatusCodes.Status499ClientClosedRequest);
        }
        catch (Exception e)
        {
            return Problems.From(e, context, logger);
        }
    }

    /// <summary>The route's role rule; the use cases check their own finer rules (a therapist's own ledger) again.</summary>
    private static void RequireAccess(RouteAccess access, Caller caller)
    {
        var allowed = access switch
        {
            RouteAccess.Therapist => caller.Is(Role.Therapist),
            RouteAccess.TherapistOrSupervisor => caller.Is(Role.Therapist) || caller.Is(Role.Supervisor),
            RouteAccess.Supervisor => caller.Is(Role.Supervisor),
            _ => true,
        };
        if (!allowed)
        {
            throw new ForbiddenException(access switch
            {
                RouteAccess.Therapist => "The Therapist role is required.",
                RouteAccess.Supervisor => "The Supervisor role is required.",
                _ => "The Therapist or Supervisor role is required.",
            });
        }
    }
}

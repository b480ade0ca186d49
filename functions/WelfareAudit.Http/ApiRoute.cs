using Microsoft.AspNetCore.Http;
using WelfareAudit.Core.Identity;

namespace WelfareAudit.Http;

/// <summary>Who may call a route. Every route but <see cref="Anonymous"/> ones resolves the caller first.</summary>
public enum RouteAccess
{
    /// <summary>No identity (health, the phone page).</summary>
    Anonymous,

    /// <summary>Any identified caller, whatever their roles.</summary>
    AnyCaller,

    Therapist,

    TherapistOrSupervisor,

    Supervisor,
}

/// <summary>
/// One HTTP function, declared once in <see cref="Routes.All"/>. The Functions authorization level is always
/// anonymous: identity comes from App Service Authentication and is checked by <see cref="ApiDispatch"/>.
/// </summary>
public sealed record ApiRoute(string Name, string Method, string Template, RouteAccess Access, RateBudget? Budget, Func<ApiCall, Task<IResult>> Handle)
{
    public bool RequiresIdentity => Access != RouteAccess.Anonymous;

    /// <summary>The template's one parameter (<c>id</c>, <c>asset</c>), or null.</summary>
    public string? Parameter { get; } = Template.IndexOf('{', StringComparison.Ordinal) is var at and >= 0
        ? Template[(at + 1)..Template.IndexOf('}', at)].TrimStart('*')
        : null;
}

/// <summary>The handlers, as one object (the hosts resolve it from DI).</summary>
public sealed record ApiServices(SearchHandlers Searches, AuditHandlers Audit, PhonePage Page);

/// <summary>What a route's handler gets: the request, the resolved caller (null on anonymous routes), the route parameter.</summary>
public sealed record ApiCall(HttpContext Context, Caller? Caller, string? RouteValue, ApiServices Services);

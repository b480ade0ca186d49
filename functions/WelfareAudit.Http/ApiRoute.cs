using Microsoft.AspNetCore.Http;

namespace WelfareAudit.Http;

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

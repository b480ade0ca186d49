using Microsoft.AspNetCore.Http;
using WelfareAudit.Core.Identity;

namespace WelfareAudit.Http;

/// <summary>What a route's handler gets: the request, the resolved caller (null on anonymous routes), the route parameter.</summary>
public sealed record ApiCall(HttpContext Context, Caller? Caller, string? RouteValue, ApiServices Services);

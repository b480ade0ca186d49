using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace WelfareAudit.PhonePage.Tests;

/// <summary>What the emulated platform saw of one request: enough to check what the browser sent.</summary>
public sealed record SeenRequest(string Method, string Path, string? RequestedWith, string? SessionCookie, bool RedirectedToSignIn);

/// <summary>
/// In front of the local host, what App Service Authentication does in front of the Functions app in Azure, for
/// the parts the phone page depends on (unauthenticated action "redirect to the sign-in page"):
/// <list type="bullet">
/// <item>a session cookie (<c>AppServiceAuthSession</c>) of a signed-in user becomes the <c>X-MS-CLIENT-PRINCIPAL</c>
/// header; an expired one is ignored;</item>
/// <item>an API call without a principal is redirected (302) to <c>/.auth/login/aad</c>, which redirects to the
/// identity provider on another origin — unless it carries <c>X-Requested-With: XMLHttpRequest</c>: then it is
/// answered 401 (here by the real handlers of the local host, which answer 401 to a caller without a principal);</item>
/// <item><c>/.auth/me</c> answers the signed-in user as the platform does (<c>[{provider_name, user_id, user_claims}]</c>),
/// 401 when nobody is signed in; <c>/.auth/logout</c> ends the session and redirects to
/// <c>post_logout_redirect_uri</c>.</item>
/// </list>
/// Every request is recorded, so a test sees what reached the server. The header identity the other tests send
/// directly is left as it is.
/// </summary>
public sealed class AppServiceAuthentication : IStartupFilter
{
    public const string SessionCookie = "AppServiceAuthSession";
    public const string SignInPath = "/.auth/login/aad";
    public const string MePath = "/.auth/me";
    public const string SignOutPath = "/.auth/logout";
    private const string IdentityProviderPath = "/common/oauth2/v2.0/authorize";
    private const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    private readonly ConcurrentDictionary<string, string> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SeenRequest> _seen = new();

    /// <summary>The identity provider's origin: another origin than the page's (localhost vs 127.0.0.1).</summary>
    public Uri? IdentityProvider { get; set; }

    public IReadOnlyCollection<SeenRequest> Seen => _seen.ToArray();

    /// <summary>Starts a session for the principal, as a completed sign-in does; returns the cookie value.</summary>
    public string StartSession(string principalHeader)
    {
        var token = Guid.NewGuid().ToString("N");
        _sessions[token] = principalHeader;
        return token;
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(HandleAsync);
        next(app);
    };

    private Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var cookie = request.Cookies[SessionCookie];
        var requestedWith = request.Headers["X-Requested-With"].FirstOrDefault();
        void Record(bool redirected) => _seen.Enqueue(new SeenRequest(request.Method, request.Path.Value ?? "", requestedWith, cookie, redirected));

        if (request.Path.Equals(SignInPath, StringComparison.OrdinalIgnoreCase))
        {
            Record(false);
            context.Response.Redirect(new Uri(IdentityProvider!, IdentityProviderPath).AbsoluteUri);
            return Task.CompletedTask;
        }
        if (request.Path.Equals(IdentityProviderPath, StringComparison.Ordinal))
        {
            Record(false);
            // The sign-in page of the identity provider: no CORS headers, so a script's fetch cannot read it.
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync("<!doctype html><title>Sign in</title><p>Sign in");
        }
        if (request.Path.Equals(SignOutPath, StringComparison.OrdinalIgnoreCase))
        {
            Record(false);
            if (cookie is not null)
            {
                _sessions.TryRemove(cookie, out _);
            }
            context.Response.Cookies.Delete(SessionCookie);
            var back = request.Query["post_logout_redirect_uri"].FirstOrDefault();
            context.Response.Redirect(back is not null && back.StartsWith('/') && !back.StartsWith("//", StringComparison.Ordinal) ? back : "/");
            return Task.CompletedTask;
        }
        if (cookie is not null && !request.Headers.ContainsKey(PrincipalHeader) && _sessions.TryGetValue(cookie, out var principal))
        {
            request.Headers[PrincipalHeader] = principal;
        }
        if (request.Path.Equals(MePath, StringComparison.OrdinalIgnoreCase))
        {
            Record(false);
            return WriteMeAsync(context);
        }
        var api = request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) &&
            !request.Path.StartsWithSegments("/api/health", StringComparison.OrdinalIgnoreCase);
        var redirect = api && !request.Headers.ContainsKey(PrincipalHeader) &&
            !string.Equals(requestedWith, "XMLHttpRequest", StringComparison.Ordinal);
        Record(redirect);
        if (redirect)
        {
            context.Response.Redirect($"{SignInPath}?post_login_redirect_uri={Uri.EscapeDataString(request.Path + request.QueryString)}");
            return Task.CompletedTask;
        }
        return next(context);
    }

    /// <summary>The platform's <c>/.auth/me</c>: the principal's claims, or 401 when nobody is signed in.</summary>
    private static Task WriteMeAsync(HttpContext context)
    {
        var header = context.Request.Headers[PrincipalHeader].FirstOrDefault();
        if (header is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }
        var principal = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)))!;
        var claims = principal["claims"]!.AsArray();
        var name = claims.FirstOrDefault(c => (string?)c!["typ"] == "name")?["val"]?.GetValue<string>() ?? "";
        var me = new JsonArray(new JsonObject
        {
            ["provider_name"] = "aad",
            ["user_id"] = name,
            ["user_claims"] = claims.DeepClone(),
        });
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(me.ToJsonString());
    }
}

using Microsoft.AspNetCore.Http;
using WelfareAudit.Core.Identity;

namespace WelfareAudit.Http.Identity;

/// <summary>When the principal header may be believed.</summary>
public sealed class IdentityTrustOptions
{
    /// <summary>
    /// App Service Authentication is on (<c>WEBSITE_AUTH_ENABLED=True</c>): the platform strips any
    /// client-sent header and sets its own, so the header is trustworthy.
    /// </summary>
    public bool PlatformAuthEnabled { get; set; }

    /// <summary>
    /// The local host in Development: trust the header from loopback callers only, and only when the Host
    /// names this machine (see <see cref="RequestOrigin"/>).
    /// </summary>
    public bool TrustLoopback { get; set; }

    public static bool PlatformSaysAuthIsOn(string? websiteAuthEnabled) =>
        string.Equals(websiteAuthEnabled, "True", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The caller could not be identified (no header, an untrusted one, or a malformed one).</summary>
public sealed class UnauthenticatedException(string message) : Exception(message);

public sealed class CallerResolver(IdentityTrustOptions trust)
{
    public Caller Resolve(HttpContext context)
    {
        var loopbackSocket = trust.TrustLoopback && RequestOrigin.IsLoopbackSocket(context);
        if (loopbackSocket && !RequestOrigin.IsLoopbackHost(context))
        {
            throw new ForbiddenException(RequestOrigin.ForeignHost);
        }
        // Locally the host's own origin is the Host just checked; behind the Functions front end it is not known here.
        if (RequestOrigin.CrossSiteReason(context, ownOriginKnown: trust.TrustLoopback) is { } crossSite)
        {
            throw new ForbiddenException(crossSite);
        }
        var trusted = trust.PlatformAuthEnabled || loopbackSocket;
        if (!trusted)
        {
            throw new UnauthenticatedException("Sign-in is required.");
        }
        var header = context.Request.Headers[ClientPrincipal.HeaderName];
        if (header.Count != 1)
        {
            throw new UnauthenticatedException("Sign-in is required.");
        }
        return ClientPrincipal.TryParse(header[0]) ?? throw new UnauthenticatedException("The sign-in principal is malformed.");
    }
}

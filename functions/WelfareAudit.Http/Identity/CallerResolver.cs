using Microsoft.AspNetCore.Http;
using WelfareAudit.Core.Identity;

namespace WelfareAudit.Http.Identity;

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

using System.Net;
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

    /// <summary>The local host in Development: trust the header from loopback callers only.</summary>
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
        var trusted = trust.PlatformAuthEnabled ||
            (trust.TrustLoopback && context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip));
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

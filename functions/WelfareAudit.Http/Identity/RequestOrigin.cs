using System.Net;
using Microsoft.AspNetCore.Http;

namespace WelfareAudit.Http.Identity;

/// <summary>
/// Where a request comes from, as far as it can be believed. A loopback socket alone proves nothing about
/// who asked: any web page can make the browser connect to 127.0.0.1, by posting a form to it or by
/// rebinding its own name to 127.0.0.1 (DNS rebinding). So loopback trust also needs a Host that names this
/// machine and this port, and a browser request that acts as the caller must be same-origin.
/// </summary>
public static class RequestOrigin
{
    public const string ForeignHost =
        "The Host header must name this machine (localhost, 127.0.0.1 or [::1]) with this host's port; " +
        "a request for another name can come from a page on another site (DNS rebinding).";

    public const string CrossSite =
        "Only same-origin browser requests may act as the signed-in caller: Origin or Sec-Fetch-Site says this one comes from another site.";

    public const string RemoteSocket = "The admin API answers loopback callers only.";

    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// The TCP connection itself comes from this machine, as <see cref="CaptureSocket"/> saw it before any
    /// middleware ran. Never <c>HttpContext.Connection.RemoteIpAddress</c> read later: the forwarded-headers
    /// middleware replaces it with X-Forwarded-For (with <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>, from
    /// any caller). Without a capture (a host that does not run it) nothing is loopback.
    /// </summary>
    public static bool IsLoopbackSocket(HttpContext context) =>
        context.Features.Get<SocketEndPoints>() is { Remote: { } remote } && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

    /// <summary>Records the socket's addresses; the host runs it as the first middleware of its pipeline.</summary>
    public static void CaptureSocket(HttpContext context) =>
        context.Features.Set(new SocketEndPoints(context.Connection.RemoteIpAddress, context.Connection.LocalPort));

    /// <summary>The Host header is localhost, 127.0.0.1 or [::1] with the port this request arrived on.</summary>
    public static bool IsLoopbackHost(HttpContext context)
    {
        var host = context.Request.Host;
        if (!host.HasValue || !LoopbackNames.Contains(host.Host, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }
        var port = host.Port ?? (context.Request.IsHttps ? 443 : 80);
        return port == context.Features.Get<SocketEndPoints>()?.LocalPort;
    }

    /// <summary>
    /// Null for a same-origin browser request or a request not made by a browser; otherwise why it is
    /// refused. <c>Sec-Fetch-Site</c> is set by the browser and cannot be forged by a page: only
    /// <c>same-origin</c> and <c>none</c> (typed in, bookmark) pass. <c>Origin</c> is compared with this
    /// host's own origin when the host knows it (<paramref name="ownOriginKnown"/>: behind the Functions
    /// front end the worker may see another Host than the browser used).
    /// </summary>
    public static string? CrossSiteReason(HttpContext context, bool ownOriginKnown)
    {
        var headers = context.Request.Headers;
        var site = headers["Sec-Fetch-Site"];
        if (site.Count > 0 && !(site.Count == 1 && site[0] is "same-origin" or "none"))
        {
            return CrossSite;
        }
        var origin = headers.Origin;
        if (origin.Count > 0 && ownOriginKnown)
        {
            var own = context.Request.Scheme + "://" + context.Request.Host.Value;
            if (origin.Count != 1 || !string.Equals(origin[0], own, StringComparison.OrdinalIgnoreCase))
            {
                return CrossSite;
            }
        }
        return null;
    }
}

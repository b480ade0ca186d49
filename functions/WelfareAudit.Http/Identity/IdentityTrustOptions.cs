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

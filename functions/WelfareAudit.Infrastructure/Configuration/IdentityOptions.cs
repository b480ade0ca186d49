namespace WelfareAudit.Infrastructure.Configuration;

/// <summary><c>WelfareAudit:Identity</c>: how the app authenticates to Azure.</summary>
public sealed class IdentityOptions
{
    public const string Section = "WelfareAudit:Identity";

    /// <summary>
    /// <c>ManagedIdentity</c> (the default, for servers) or <c>AzureCli</c> (a developer's own sign-in,
    /// opt-in only). There is deliberately no silent fallback from one to the other.
    /// </summary>
    public string Credential { get; set; } = "ManagedIdentity";

    /// <summary>The client id of the user-assigned managed identity.</summary>
    public string? ManagedIdentityClientId { get; set; }
}

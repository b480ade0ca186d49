namespace WelfareAudit.Infrastructure.Configuration;

/// <summary>
/// Settings bound from the <c>WelfareAudit</c> configuration section (environment variables
/// <c>WelfareAudit__Storage__ConnectionString</c> and so on), validated at start.
/// </summary>
public sealed class WelfareAuditOptions
{
    public const string SectionName = "WelfareAudit";

    public StorageSettings Storage { get; set; } = new();

    public KeySettings Keys { get; set; } = new();

    public IdentitySettings Identity { get; set; } = new();

    /// <summary>Thresholds of the readable audit exports (overdue, rarity).</summary>
    public WelfareAudit.Core.Audit.AuditReportOptions Audit { get; set; } = new();
}

public sealed class StorageSettings
{
    /// <summary>A connection string: development against Azurite only. Production uses <see cref="TableServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table endpoint (https://{account}.table.core.windows.net), reached with the managed identity.</summary>
    public Uri? TableServiceUri { get; set; }

    public string TableName { get; set; } = "WelfareAuditLedger";

    public int MaxAppendAttempts { get; set; } = 60;

    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class KeySettings
{
    /// <summary>The Key Vault holding the keys as secrets (production).</summary>
    public Uri? VaultUri { get; set; }

    /// <summary>A local key file (development): created on first run with permissions 0600; never commit it.</summary>
    public string? LocalKeyFile { get; set; }

    public string SecretNamePrefix { get; set; } = "welfareaudit";

    public TimeSpan CurrentKeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class IdentitySettings
{
    /// <summary>
    /// How the app authenticates to Azure: <c>ManagedIdentity</c> (the default, for servers) or
    /// <c>AzureCli</c> (a developer's own sign-in, opt-in only). There is deliberately no silent
    /// fallback from one to the other.
    /// </summary>
    public string Credential { get; set; } = "ManagedIdentity";

    /// <summary>The client id of the user-assigned managed identity.</summary>
    public string? ManagedIdentityClientId { get; set; }
}

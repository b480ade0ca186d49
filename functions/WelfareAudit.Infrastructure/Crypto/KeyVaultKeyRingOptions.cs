namespace WelfareAudit.Infrastructure.Crypto;

public sealed class KeyVaultKeyRingOptions
{
    /// <summary>Secrets are named <c>{prefix}-data-key</c>, <c>{prefix}-index-key</c> and <c>{prefix}-signing-key</c>.</summary>
    public string SecretNamePrefix { get; set; } = "welfareaudit";

    /// <summary>How long "which version is current" is trusted before Key Vault is asked again.</summary>
    public TimeSpan CurrentKeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);
}

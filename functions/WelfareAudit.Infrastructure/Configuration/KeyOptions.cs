using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Infrastructure.Configuration;

/// <summary>
/// <c>WelfareAudit:Keys</c>: which key ring holds the keys. The Key Vault ring's tuning in the same section
/// is <see cref="KeyVaultKeyRingOptions"/>.
/// </summary>
public sealed class KeyOptions
{
    public const string Section = "WelfareAudit:Keys";

    /// <summary>The Key Vault holding the keys as secrets (production).</summary>
    public Uri? VaultUri { get; set; }

    /// <summary>A local key file (development): created on first run with permissions 0600; never commit it.</summary>
    public string? LocalKeyFile { get; set; }
}

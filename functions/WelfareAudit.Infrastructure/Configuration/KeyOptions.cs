using Microsoft.Extensions.Options;
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

public sealed class KeyOptionsValidator : IValidateOptions<KeyOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyOptions k)
    {
        var failures = new List<string>();
        if ((k.VaultUri is not null) == !string.IsNullOrWhiteSpace(k.LocalKeyFile))
        {
            failures.Add("Set exactly one of WelfareAudit:Keys:VaultUri (Key Vault) or WelfareAudit:Keys:LocalKeyFile (development).");
        }
        if (k.VaultUri is { } vault && (!vault.IsAbsoluteUri || vault.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("WelfareAudit:Keys:VaultUri must be an absolute https URI.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The Key Vault ring's tuning, bound from <c>WelfareAudit:Keys</c>.</summary>
public sealed class KeyVaultKeyRingOptionsValidator : IValidateOptions<KeyVaultKeyRingOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyVaultKeyRingOptions k)
    {
        var failures = new List<string>();
        if (k.SecretNamePrefix.Length is 0 or > 100 || !k.SecretNamePrefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            failures.Add("WelfareAudit:Keys:SecretNamePrefix must be 1-100 letters, digits or '-' (the key ring's own rule).");
        }
        if (k.CurrentKeyRefreshInterval <= TimeSpan.Zero)
        {
            failures.Add("WelfareAudit:Keys:CurrentKeyRefreshInterval must be positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

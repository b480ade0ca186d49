using Microsoft.Extensions.Options;
using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Infrastructure.Configuration;

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

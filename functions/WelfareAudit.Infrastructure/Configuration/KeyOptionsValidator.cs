using Microsoft.Extensions.Options;

namespace WelfareAudit.Infrastructure.Configuration;

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

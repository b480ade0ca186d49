using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace WelfareAudit.Infrastructure.Configuration;

/// <summary>Fails start-up with every bad setting named, instead of failing on the first request.</summary>
public sealed class WelfareAuditOptionsValidator : IValidateOptions<WelfareAuditOptions>
{
    public ValidateOptionsResult Validate(string? name, WelfareAuditOptions options)
    {
        var failures = new List<string>();
        var s = options.Storage;
        var hasConnection = !string.IsNullOrWhiteSpace(s.ConnectionString);
        if (hasConnection == (s.TableServiceUri is not null))
        {
            failures.Add("Set exactly one of WelfareAudit:Storage:ConnectionString (Azurite, development) or WelfareAudit:Storage:TableServiceUri (managed identity).");
        }
        if (hasConnection && !IsConnectionString(s.ConnectionString!))
        {
            failures.Add("WelfareAudit:Storage:ConnectionString is not a storage connection string the Azure SDK accepts " +
                "(Name=value pairs separated by ';', e.g. UseDevelopmentStorage=true); the value is not shown.");
        }
        if (s.TableServiceUri is { } uri && (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("WelfareAudit:Storage:TableServiceUri must be an absolute https URI.");
        }
        if (s.TableName.Length is < 3 or > 63 || !char.IsAsciiLetter(s.TableName[0]) || !s.TableName.All(char.IsAsciiLetterOrDigit))
        {
            failures.Add("WelfareAudit:Storage:TableName must be 3-63 letters or digits, starting with a letter.");
        }
        if (s.MaxAppendAttempts is < 1 or > 1000)
        {
            failures.Add("WelfareAudit:Storage:MaxAppendAttempts must be between 1 and 1000.");
        }
        if (s.OperationTimeout <= TimeSpan.Zero || s.OperationTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add("WelfareAudit:Storage:OperationTimeout must be positive and at most 10 minutes.");
        }

        var k = options.Keys;
        if ((k.VaultUri is not null) == !string.IsNullOrWhiteSpace(k.LocalKeyFile))
        {
            failures.Add("Set exactly one of WelfareAudit:Keys:VaultUri (Key Vault) or WelfareAudit:Keys:LocalKeyFile (development).");
        }
        if (k.VaultUri is { } vault && (!vault.IsAbsoluteUri || vault.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("WelfareAudit:Keys:VaultUri must be an absolute https URI.");
        }
        if (k.SecretNamePrefix.Length is 0 or > 100 || !k.SecretNamePrefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            failures.Add("WelfareAudit:Keys:SecretNamePrefix must be 1-100 letters, digits or '-' (the key ring's own rule).");
        }
        if (k.CurrentKeyRefreshInterval <= TimeSpan.Zero)
        {
            failures.Add("WelfareAudit:Keys:CurrentKeyRefreshInterval must be positive.");
        }

        if (options.Identity.Credential is not ("ManagedIdentity" or "AzureCli"))
        {
            failures.Add("WelfareAudit:Identity:Credential must be ManagedIdentity or AzureCli.");
        }

        var a = options.Audit;
        if (a.OverdueAfterDays < 1 || a.RarityMaxPerClientPerYear < 0 || a.RarityMaxPerTherapistPerQuarter < 0)
        {
            failures.Add("WelfareAudit:Audit: OverdueAfterDays must be at least 1; the rarity thresholds must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// Whether the SDK can build a client from the connection string (the only complete statement of its
    /// grammar). Parsing only, no request; the SDK's error quotes the string, so it is dropped.
    /// </summary>
    private static bool IsConnectionString(string connectionString)
    {
        try
        {
            var endpoint = new TableServiceClient(connectionString).Uri;
            return endpoint.IsAbsoluteUri && (endpoint.Scheme == Uri.UriSchemeHttps || endpoint.Scheme == Uri.UriSchemeHttp);
        }
        catch (Exception)
        {
            return false;
        }
    }
}

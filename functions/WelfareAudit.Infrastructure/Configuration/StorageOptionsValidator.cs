using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace WelfareAudit.Infrastructure.Configuration;

/// <summary>Fails start-up with every bad storage setting named (never its value).</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions s)
    {
        var failures = new List<string>();
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

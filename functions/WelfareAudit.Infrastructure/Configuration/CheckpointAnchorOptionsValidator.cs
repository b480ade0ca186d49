using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace WelfareAudit.Infrastructure.Configuration;

/// <summary>Fails start-up with every bad anchor-container setting named (never its value).</summary>
public sealed class CheckpointAnchorOptionsValidator : IValidateOptions<CheckpointAnchorOptions>
{
    public ValidateOptionsResult Validate(string? name, CheckpointAnchorOptions o)
    {
        var failures = new List<string>();
        var hasUri = !string.IsNullOrWhiteSpace(o.ContainerUri);
        var hasConnection = !string.IsNullOrWhiteSpace(o.ConnectionString);
        if (hasUri && hasConnection)
        {
            failures.Add("Set at most one of WelfareAudit:Checkpoints:ContainerUri (managed identity) or WelfareAudit:Checkpoints:ConnectionString (Azurite, development).");
        }
        if (hasUri && (!Uri.TryCreate(o.ContainerUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps ||
            uri.AbsolutePath.Trim('/').Length == 0 || uri.AbsolutePath.Trim('/').Contains('/', StringComparison.Ordinal) || uri.Query.Length > 0))
        {
            failures.Add("WelfareAudit:Checkpoints:ContainerUri must be the container's absolute https URI (https://{account}.blob.core.windows.net/{container}, no query).");
        }
        if (hasConnection && !IsConnectionString(o.ConnectionString!))
        {
            failures.Add("WelfareAudit:Checkpoints:ConnectionString is not a storage connection string with a blob endpoint; the value is not shown.");
        }
        if (o.ContainerName.Length is < 3 or > 63 || !o.ContainerName.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') ||
            !char.IsAsciiLetterOrDigit(o.ContainerName[0]) || o.ContainerName.Contains("--", StringComparison.Ordinal) || o.ContainerName.EndsWith('-'))
        {
            failures.Add("WelfareAudit:Checkpoints:ContainerName must be a container name: 3-63 lower-case letters, digits or single hyphens.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Parsing only, no request; the SDK's error quotes the string, so it is dropped.</summary>
    private static bool IsConnectionString(string connectionString)
    {
        try
        {
            var endpoint = new BlobServiceClient(connectionString).Uri;
            return endpoint.IsAbsoluteUri && (endpoint.Scheme == Uri.UriSchemeHttps || endpoint.Scheme == Uri.UriSchemeHttp);
        }
        catch (Exception)
        {
            return false;
        }
    }
}

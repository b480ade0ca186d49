using Azure.Core;

namespace WelfareAudit.Infrastructure.Configuration;

/// <summary>
/// <c>WelfareAudit:AzureClientDefaults</c>: the Azure SDK's own retry and network timeout for every client.
/// Unset values keep the SDK's defaults. We never add a second retry around these calls.
/// </summary>
public sealed class AzureClientDefaultsOptions
{
    public const string SectionName = "WelfareAudit:AzureClientDefaults";

    public AzureRetrySettings Retry { get; set; } = new();

    public void ApplyTo(ClientOptions options)
    {
        var r = options.Retry;
        if (Retry.MaxRetries is { } maxRetries)
        {
            r.MaxRetries = maxRetries;
        }
        if (Retry.Delay is { } delay)
        {
            r.Delay = delay;
        }
        if (Retry.MaxDelay is { } maxDelay)
        {
            r.MaxDelay = maxDelay;
        }
        if (Retry.Mode is { } mode)
        {
            r.Mode = mode;
        }
        if (Retry.NetworkTimeout is { } networkTimeout)
        {
            r.NetworkTimeout = networkTimeout;
        }
    }
}

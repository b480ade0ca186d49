using Azure.Core;
using Microsoft.Extensions.Options;

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

public sealed class AzureRetrySettings
{
    public int? MaxRetries { get; set; }

    public TimeSpan? Delay { get; set; }

    public TimeSpan? MaxDelay { get; set; }

    public RetryMode? Mode { get; set; }

    public TimeSpan? NetworkTimeout { get; set; }
}

public sealed class AzureClientDefaultsOptionsValidator : IValidateOptions<AzureClientDefaultsOptions>
{
    public ValidateOptionsResult Validate(string? name, AzureClientDefaultsOptions options)
    {
        var failures = new List<string>();
        var r = options.Retry;
        if (r.MaxRetries is < 0 or > 20)
        {
            failures.Add("WelfareAudit:AzureClientDefaults:Retry:MaxRetries must be between 0 and 20.");
        }
        if (r.Delay is { } delay && (delay < TimeSpan.Zero || delay > TimeSpan.FromMinutes(5)))
        {
            failures.Add("WelfareAudit:AzureClientDefaults:Retry:Delay must be between 0 and 5 minutes.");
        }
        if (r.MaxDelay is { } maxDelay && (maxDelay < TimeSpan.Zero || maxDelay > TimeSpan.FromMinutes(5)))
        {
            failures.Add("WelfareAudit:AzureClientDefaults:Retry:MaxDelay must be between 0 and 5 minutes.");
        }
        if (r.NetworkTimeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(10)))
        {
            failures.Add("WelfareAudit:AzureClientDefaults:Retry:NetworkTimeout must be positive and at most 10 minutes.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using Azure.Core;

namespace WelfareAudit.Infrastructure.Configuration;

public sealed class AzureRetrySettings
{
    public int? MaxRetries { get; set; }

    public TimeSpan? Delay { get; set; }

    public TimeSpan? MaxDelay { get; set; }

    public RetryMode? Mode { get; set; }

    public TimeSpan? NetworkTimeout { get; set; }
}

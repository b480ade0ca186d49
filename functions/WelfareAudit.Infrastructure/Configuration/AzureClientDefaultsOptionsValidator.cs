using Microsoft.Extensions.Options;

namespace WelfareAudit.Infrastructure.Configuration;

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

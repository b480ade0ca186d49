using Microsoft.Extensions.Options;
using WelfareAudit.Infrastructure.Storage;

namespace WelfareAudit.Infrastructure.Configuration;

/// <summary><see cref="LedgerOptions"/>, bound from <c>WelfareAudit:Storage</c>.</summary>
public sealed class LedgerOptionsValidator : IValidateOptions<LedgerOptions>
{
    public ValidateOptionsResult Validate(string? name, LedgerOptions s)
    {
        var failures = new List<string>();
        if (s.MaxAppendAttempts is < 2 or > 1000)
        {
            failures.Add("WelfareAudit:Storage:MaxAppendAttempts must be between 2 and 1000 (the first attempt and at least one retry of a lost race).");
        }
        if (s.OperationTimeout <= TimeSpan.Zero || s.OperationTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add("WelfareAudit:Storage:OperationTimeout must be positive and at most 10 minutes.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using Microsoft.Extensions.Options;
using WelfareAudit.Core.Audit;

namespace WelfareAudit.Infrastructure.Configuration;

/// <summary><see cref="AuditReportOptions"/>, bound from <c>WelfareAudit:Audit</c>.</summary>
public sealed class AuditReportOptionsValidator : IValidateOptions<AuditReportOptions>
{
    public const string Section = "WelfareAudit:Audit";

    public ValidateOptionsResult Validate(string? name, AuditReportOptions a) =>
        a.OverdueAfterDays < 1 || a.RarityMaxPerClientPerYear < 0 || a.RarityMaxPerTherapistPerQuarter < 0
            ? ValidateOptionsResult.Fail("WelfareAudit:Audit: OverdueAfterDays must be at least 1; the rarity thresholds must not be negative.")
            : ValidateOptionsResult.Success;
}

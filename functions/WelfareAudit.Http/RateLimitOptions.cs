using Microsoft.Extensions.Options;

namespace WelfareAudit.Http;

/// <summary>
/// Per-caller limits (<c>WelfareAudit:RateLimits</c>). The defaults leave room for a therapist whose
/// phone re-sends a day's offline queue at once, and stop a runaway script or a stolen session from
/// filling the ledger or exporting it over and over.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "WelfareAudit:RateLimits";

    [ValidateObjectMembers]
    public RateBudgetOptions Writes { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    [ValidateObjectMembers]
    public RateBudgetOptions Exports { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(10) };

    public RateBudgetOptions For(RateBudget budget) => budget == RateBudget.Writes ? Writes : Exports;
}

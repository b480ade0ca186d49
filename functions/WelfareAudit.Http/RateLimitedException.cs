using System.Globalization;

namespace WelfareAudit.Http;

/// <summary>The caller spent a budget; answered 429 with Retry-After.</summary>
public sealed class RateLimitedException(RateBudget budget, RateBudgetOptions limit, TimeSpan retryAfter)
    : Exception(string.Create(CultureInfo.InvariantCulture,
        $"Too many {(budget == RateBudget.Writes ? "writes" : "exports")} from this caller: at most {limit.PermitLimit} per {Describe(limit.Window)}. Retry after the time in Retry-After."))
{
    /// <summary>Whole seconds, at least 1 (RFC 9110 Retry-After is delay-seconds).</summary>
    public int RetryAfterSeconds { get; } = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

    private static string Describe(TimeSpan window) =>
        window.TotalMinutes >= 1 && window.Seconds == 0 ? $"{window.TotalMinutes:0.##} minute(s)" : $"{window.TotalSeconds:0.##} second(s)";
}

using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using WelfareAudit.Core.Identity;

namespace WelfareAudit.Http;

/// <summary>The two budgets a caller spends: writes (the four POST/PUT routes) and exports. Reads are not limited.</summary>
public enum RateBudget
{
    Writes,
    Exports,
}

/// <summary>One budget: at most <see cref="PermitLimit"/> requests per <see cref="Window"/> for each caller.</summary>
public sealed class RateBudgetOptions
{
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; }
}

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

[OptionsValidator]
public sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;

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

/// <summary>
/// One policy for both hosts: a fixed window per (budget, caller object id), from
/// System.Threading.RateLimiting. It runs in the shared handlers after the caller is resolved, so the
/// Functions app and the local host enforce the same limits on the same identity. (Those limiters read the
/// runtime's clock; their API takes no TimeProvider.) Idle partitions are dropped by the limiter itself.
/// </summary>
public sealed class CallerRateLimits : IDisposable
{
    private readonly RateLimitOptions _options;
    private readonly PartitionedRateLimiter<(RateBudget Budget, string Caller)> _limiter;

    public CallerRateLimits(IOptions<RateLimitOptions> options)
    {
        _options = options.Value;
        _limiter = PartitionedRateLimiter.Create<(RateBudget Budget, string Caller), (RateBudget, string)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
            {
                PermitLimit = _options.For(k.Item1).PermitLimit,
                Window = _options.For(k.Item1).Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Spends one permit of <paramref name="budget"/> for the caller, or throws <see cref="RateLimitedException"/>.</summary>
    public void Spend(RateBudget budget, Caller caller)
    {
        using var lease = _limiter.AttemptAcquire((budget, caller.ObjectId));
        if (!lease.IsAcquired)
        {
            var limit = _options.For(budget);
            throw new RateLimitedException(budget, limit, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limit.Window);
        }
    }

    public void Dispose() => _limiter.Dispose();
}

using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using WelfareAudit.Core.Identity;

namespace WelfareAudit.Http;

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

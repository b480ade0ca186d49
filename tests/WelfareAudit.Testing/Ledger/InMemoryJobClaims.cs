using WelfareAudit.Core.Schedules;

namespace WelfareAudit.Testing;

/// <summary>Job claims in memory, on the given clock: the same rules as the Table store (holder, expiry, release by the holder only).</summary>
public sealed class InMemoryJobClaims(TimeProvider time) : IJobClaims
{
    private readonly Dictionary<string, (string Holder, DateTimeOffset Until)> _claims = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names
    {
        get
        {
            lock (_claims)
            {
                return [.. _claims.Keys];
            }
        }
    }

    public Task<bool> TryClaimAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (name.Length is 0 or > 64 || !name.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("A claim name is 1-64 ASCII letters or digits.", nameof(name));
        }
        lock (_claims)
        {
            var now = time.GetUtcNow();
            if (_claims.TryGetValue(name, out var current) && current.Until > now && current.Holder != holder)
            {
                return Task.FromResult(false);
            }
            _claims[name] = (holder, now + duration);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken)
    {
        lock (_claims)
        {
            if (_claims.TryGetValue(name, out var current) && current.Holder == holder)
            {
                _claims.Remove(name);
            }
        }
        return Task.CompletedTask;
    }
}

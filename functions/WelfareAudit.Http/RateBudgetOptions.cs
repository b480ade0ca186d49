using System.ComponentModel.DataAnnotations;

namespace WelfareAudit.Http;

/// <summary>One budget: at most <see cref="PermitLimit"/> requests per <see cref="Window"/> for each caller.</summary>
public sealed class RateBudgetOptions
{
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; }
}

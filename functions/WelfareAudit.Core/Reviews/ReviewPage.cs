namespace WelfareAudit.Core.Reviews;

/// <summary>One page of the review queue; <see cref="Next"/> continues it, null on the last page.</summary>
public sealed record ReviewPage(IReadOnlyList<ReviewQueueItem> Items, string? Next);

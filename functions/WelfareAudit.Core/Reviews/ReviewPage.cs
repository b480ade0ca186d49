using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Reviews;

/// <summary>
/// One page of the review queue; <see cref="Next"/> continues it, null on the last page. <see cref="Unreadable"/>
/// names the searches (or ledgers) left out because their rows fail an integrity check: one damaged ledger never
/// hides the others.
/// </summary>
public sealed record ReviewPage(IReadOnlyList<ReviewQueueItem> Items, string? Next, IReadOnlyList<LedgerFinding> Unreadable);

using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Searches;

/// <summary>
/// One page of a search list, in the listing's order (<see cref="SearchListing.OrderKey"/>; by ledger, then search id).
/// <see cref="Next"/> continues it and is null on the last page; a page may hold fewer items than asked for, even none,
/// and still have a next one. <see cref="Unreadable"/> names the searches of this page's range left out because their rows
/// fail an integrity check.
/// </summary>
public sealed record SearchPage(IReadOnlyList<SearchSummary> Items, string? Next, IReadOnlyList<LedgerFinding> Unreadable);

using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Searches;

/// <summary>
/// A list of searches, and the ledgers (with the row) whose searches could not be read because their
/// stored rows fail an integrity check; those are left out of <see cref="Items"/>.
/// </summary>
public sealed record SearchList(IReadOnlyList<SearchSummary> Items, IReadOnlyList<LedgerFinding> Unreadable);

using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Searches;

/// <summary>
/// One search row of a ledger's listing (<see cref="ILedger.ListSearchPageAsync"/>), in the listing's order: the search,
/// or, when its row (or the values the list decrypts) cannot be read as the ledger wrote them, the finding. <see cref="Position"/>
/// is the row's search id, where the next listing resumes; null only for a row whose key is not a search id.
/// </summary>
public sealed record SearchListing(Guid? Position, ListedSearch? Search, LedgerFinding? Unreadable)
{
    /// <summary>The listing's order: the ordinal order of the lower-case <c>8-4-4-4-12</c> text of the search id (the row key's order).</summary>
    public static string OrderKey(Guid searchId) => searchId.ToString("D");

    /// <summary>Whether <paramref name="searchId"/> comes after <paramref name="after"/> in the listing's order.</summary>
    public static bool IsAfter(Guid searchId, Guid? after) =>
        after is not { } a || string.CompareOrdinal(OrderKey(searchId), OrderKey(a)) > 0;
}

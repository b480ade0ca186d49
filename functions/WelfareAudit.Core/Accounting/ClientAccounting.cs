using WelfareAudit.Core.Identity;

namespace WelfareAudit.Core.Accounting;

/// <summary>
/// A prepared accounting: every search about the client in the ledgers the caller may read, found by the client's
/// blind index (<see cref="ClientIndexes"/>: one per index key the ledgers use), oldest first, and the earlier
/// accountings for the same client. <see cref="ClientIndex"/> is the index under the current key, which the
/// <see cref="Ledger.ClientAccountingProvided"/> event records.
/// </summary>
public sealed record ClientAccounting(
    string AccountingId,
    DateTimeOffset GeneratedAt,
    Caller RequestedBy,
    ClientAccountingRequest Request,
    string ClientIndex,
    IReadOnlyList<string> ClientIndexes,
    IReadOnlyList<AccountingLedger> Ledgers,
    IReadOnlyList<AccountedSearch> Searches,
    IReadOnlyList<EarlierAccounting> Earlier)
{
    /// <summary>The file name a download gets (no client data in it).</summary>
    public string FileName => $"client-accounting-{Ledger.Timestamps.ToText(GeneratedAt)[..10]}-{AccountingId[..8]}."
        + (Request.Format == ClientAccountingFormat.Bundle ? "bundle.jsonl" : "html");
}

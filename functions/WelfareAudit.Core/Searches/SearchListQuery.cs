using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Core.Searches;

/// <summary>
/// The filters and paging of the search list. The list is in the listing's order (ledger id, then search id: the
/// order of the rows in storage, so one query answers a page); the continuation token is the position after the last
/// row a page read (keyset paging), so searches logged or changed between two pages are never listed twice, and every
/// search that exists throughout is listed once. The token holds a ledger id and a search id only (no client data).
/// </summary>
public sealed record SearchListQuery(string Status, string? Therapist, RiskLevel? Risk, int PageSize, (string LedgerId, Guid Id)? After)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;
    private const string TokenVersion = "s1";

    /// <summary>Parses the query string's values (null when absent); every bad one is named.</summary>
    public static SearchListQuery Parse(string? status, string? therapist, string? risk, string? pageSize, string? continuation)
    {
        var errors = new ValidationErrors();
        status ??= SearchStatusText.All;
        if (status is not (SearchStatusText.AwaitingDiscussion or SearchStatusText.Discussed or SearchStatusText.Closed or SearchStatusText.All))
        {
            errors.Add("status", "must be one of: awaiting-discussion, discussed, closed, all");
        }
        if (therapist is not null && !LedgerIds.IsValid(therapist))
        {
            errors.Add("therapist", "must be a therapist's object id");
        }
        RiskLevel? riskLevel = null;
        if (risk is not null)
        {
            if (EnumText.TryParse<RiskLevel>(risk, out var parsed))
            {
                riskLevel = parsed;
            }
            else
            {
                errors.Add("risk", $"must be one of: {EnumText.Allowed<RiskLevel>()}");
            }
        }
        var (size, after) = ContinuationToken.ReadPaging<(string, Guid)>(errors, pageSize, continuation, DefaultPageSize, MaxPageSize, ParseToken, "list");
        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }
        return new SearchListQuery(status, therapist, riskLevel, size, after);
    }

    /// <summary>The state the status filter keeps, or null for every state.</summary>
    public SearchState? State => Status switch
    {
        SearchStatusText.AwaitingDiscussion => SearchState.AwaitingDiscussion,
        SearchStatusText.Discussed => SearchState.Discussed,
        SearchStatusText.Closed => SearchState.Closed,
        _ => null,
    };

    public static string Token(string ledgerId, Guid id) => ContinuationToken.Encode($"{TokenVersion}.{ledgerId}.{id:N}");

    private static (string, Guid)? ParseToken(string token)
    {
        // A ledger id may hold '.', a search id in "N" form never does: the id is after the last dot.
        var position = ContinuationToken.Decode(token);
        var first = position?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        var last = position?.LastIndexOf('.') ?? -1;
        if (position is null || first <= 0 || last <= first || position[..first] != TokenVersion)
        {
            return null;
        }
        var ledgerId = position[(first + 1)..last];
        return LedgerIds.IsValid(ledgerId) && Guid.TryParseExact(position[(last + 1)..], "N", out var id) ? (ledgerId, id) : null;
    }
}

using System.Globalization;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Core.Reviews;

/// <summary>
/// The filters and paging of the review queue. The queue is ordered by (loggedAt, id), oldest first; the
/// continuation token is the position after the last item of a page (keyset paging), so reviews done between
/// two pages neither skip nor repeat an item. The token is opaque to callers and holds no client data.
/// </summary>
public sealed record ReviewQuery(string? Therapist, RiskLevel? Risk, bool? Overdue, int PageSize, (DateTimeOffset LoggedAt, Guid Id)? After)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;
    private const string TokenVersion = "r1";

    public static ReviewQuery Default { get; } = new(null, null, null, DefaultPageSize, null);

    /// <summary>Parses the query string's values (null when absent); every bad one is named.</summary>
    public static ReviewQuery Parse(string? therapist, string? risk, string? overdue, string? pageSize, string? continuation)
    {
        var errors = new ValidationErrors();
        if (therapist is not null && !LedgerIds.IsValid(therapist))
        {
            errors.Add("therapist", "must be a therapist's object id");
        }
        RiskLevel? riskLevel = null;
        if (risk is not null)
        {
            if (EnumText.TryParse<RiskLevel>(risk, out var r) && EnumText.ToText(r) == risk)
            {
                riskLevel = r;
            }
            else
            {
                errors.Add("risk", "must be one of: " + EnumText.Allowed<RiskLevel>());
            }
        }
        bool? late = overdue switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => Add(errors, "overdue", "must be true or false"),
        };
        var (size, after) = ContinuationToken.ReadPaging<(DateTimeOffset, Guid)>(errors, pageSize, continuation, DefaultPageSize, MaxPageSize, ParseToken, "queue");
        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }
        return new ReviewQuery(therapist, riskLevel, late, size, after);
    }

    public static string Token(DateTimeOffset loggedAt, Guid id) =>
        ContinuationToken.Encode($"{TokenVersion}.{loggedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{id:N}");

    private static (DateTimeOffset, Guid)? ParseToken(string token)
    {
        var parts = ContinuationToken.Decode(token)?.Split('.');
        if (parts is null || parts.Length != 3 || parts[0] != TokenVersion ||
            !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ||
            ticks > DateTimeOffset.MaxValue.UtcTicks ||
            !Guid.TryParseExact(parts[2], "N", out var id))
        {
            return null;
        }
        return (new DateTimeOffset(ticks, TimeSpan.Zero), id);
    }

    private static bool? Add(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }

    /// <summary>Whether a search comes after the continuation position in queue order.</summary>
    public bool IsAfter(SearchProjection p) =>
        After is not { } a || p.LoggedAt > a.LoggedAt || (p.LoggedAt == a.LoggedAt && p.SearchId.CompareTo(a.Id) > 0);
}

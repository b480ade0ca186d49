using System.Globalization;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// What a supervisor asked to export. The range is half-open on the ledger's record time:
/// <c>From &lt;= recordedAt &lt; Until</c>. A date without a time means that whole UTC day
/// (<c>to=2026-11-30</c> includes the 30th); a date-time <c>to</c> is included as given. Both must fall on
/// UTC days 0001-01-01 to 9999-12-30 (<see cref="SupportedEnd"/>). <see cref="Format"/> is the name of a registered
/// <see cref="IAuditExportFormat"/>.
/// </summary>
public sealed record AuditExportRequest(DateTimeOffset? From, DateTimeOffset? Until, string? Therapist, string Format, bool WithholdClientRef)
{
    public const int MaxLedgerIdLength = LedgerIds.MaxLength;

    /// <summary>
    /// The end of the supported range of <c>from</c> and <c>to</c> (exclusive): they must fall on UTC days
    /// 0001-01-01 to 9999-12-30. The ledger writes times with four-digit years, and <c>to</c> becomes an
    /// exclusive bound one day (a date) or one tick (a date-time) later, which must still be a time.
    /// </summary>
    public static readonly DateTimeOffset SupportedEnd = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    private const string OutOfRange = "must lie between 0001-01-01 and 9999-12-30 (UTC days, both included)";

    public bool InRange(DateTimeOffset recordedAt) => (From is null || recordedAt >= From) && (Until is null || recordedAt < Until);

    /// <summary>Parses the query parameters; throws <see cref="ValidationFailedException"/> naming every bad one. <paramref name="formats"/> are the known formats.</summary>
    public static AuditExportRequest Parse(string? from, string? to, string? therapist, string? format, string? withholdClientRef, AuditExportFormats formats)
    {
        var errors = new ValidationErrors();
        var fromAt = ParseTime(errors, "from", from, endOfDay: false);
        var until = ParseTime(errors, "to", to, endOfDay: true);
        if (fromAt is not null && until is not null && until <= fromAt)
        {
            errors.Add("to", "must not be before from");
        }

        string? ledgerId = null;
        if (!string.IsNullOrEmpty(therapist))
        {
            if (!LedgerIds.IsValid(therapist))
            {
                errors.Add("therapist", "must be a therapist's object id");
            }
            else
            {
                ledgerId = therapist;
            }
        }

        if (string.IsNullOrEmpty(format))
        {
            errors.Add("format", formats.Required);
        }
        else if (!formats.TryGet(format, out _))
        {
            errors.Add("format", formats.UnknownName);
        }

        var withhold = false;
        if (!string.IsNullOrEmpty(withholdClientRef) && !bool.TryParse(withholdClientRef, out withhold))
        {
            errors.Add("withholdClientRef", "must be true or false");
        }

        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }
        return new AuditExportRequest(fromAt, until, ledgerId, format!, withhold);
    }

    private static DateTimeOffset? ParseTime(ValidationErrors errors, string name, string? text, bool endOfDay)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (text.Length == 10 && DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(DateTime.SpecifyKind(day, DateTimeKind.Utc));
            if (start >= SupportedEnd)
            {
                errors.Add(name, OutOfRange);
                return null;
            }
            return endOfDay ? start.AddDays(1) : start;
        }
        // A date-time must carry its offset (Z or ±hh:mm): a bare local time would mean different instants to different readers.
        var hasOffset = text.EndsWith('Z') || (text.Length > 6 && (text[^6] is '+' or '-') && text[^3] == ':');
        if (hasOffset && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            if (at.UtcDateTime >= SupportedEnd.UtcDateTime)
            {
                errors.Add(name, OutOfRange);
                return null;
            }
            // Ledger times have 100 ns resolution: "to" as given is included, so the bound is one tick later.
            return endOfDay ? at.ToUniversalTime().AddTicks(1) : at.ToUniversalTime();
        }
        errors.Add(name, hasOffset && IsBeyondTimeWithOffset(text) ? OutOfRange
            : "must be a date (yyyy-MM-dd) or an ISO 8601 date-time with an offset (e.g. 2026-11-01T00:00:00Z)");
        return null;
    }

    /// <summary>A well-formed date-time whose offset moves it before 0001-01-01 or after 9999-12-31 in UTC.</summary>
    private static bool IsBeyondTimeWithOffset(string text)
    {
        if (text.EndsWith('Z'))
        {
            return false;
        }
        var negative = text[^6] == '-';
        if (!TimeSpan.TryParseExact(text[^5..], @"hh\:mm", CultureInfo.InvariantCulture, out var offset) || offset > TimeSpan.FromHours(14) ||
            !DateTime.TryParse(text[..^6], CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
        {
            return false;
        }
        return negative ? clock.Ticks + offset.Ticks > DateTime.MaxValue.Ticks : clock.Ticks < offset.Ticks;
    }
}

using System.Globalization;

namespace WelfareAudit.Core.Ledger;

/// <summary>
/// The one text form of a time in the ledger: UTC, seven fractional digits, a literal Z
/// (<c>2026-11-25T14:03:07.1234567Z</c>). Hashing depends on it, so it never varies with culture or offset.
/// </summary>
public static class Timestamps
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string ToText(DateTimeOffset value) =>
        value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException("Not a ledger timestamp.");

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null ||
            !DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
        {
            return false;
        }
        value = new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc));
        return true;
    }
}

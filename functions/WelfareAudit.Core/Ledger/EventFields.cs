namespace WelfareAudit.Core.Ledger;

/// <summary>
/// An event's fields split by what may be stored in clear (ids, times, status: non-identifying metadata)
/// and what is sensitive (anything that could identify or describe a client), which the ledger encrypts
/// and commits to. Names are camelCase ASCII letters and digits; both maps are ordered by ordinal name.
/// </summary>
public sealed class EventFields
{
    public SortedDictionary<string, string> Clear { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, string> Sensitive { get; } = new(StringComparer.Ordinal);

    public EventFields WithClear(string name, string? value)
    {
        if (value is not null)
        {
            Clear[CheckName(name)] = value;
        }
        return this;
    }

    public EventFields WithSensitive(string name, string? value)
    {
        if (value is not null)
        {
            Sensitive[CheckName(name)] = value;
        }
        return this;
    }

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetterLower(name[0]) && name.All(char.IsAsciiLetterOrDigit);

    private static string CheckName(string name) =>
        IsValidName(name) ? name : throw new ArgumentException("Field names are camelCase ASCII letters and digits.", nameof(name));
}

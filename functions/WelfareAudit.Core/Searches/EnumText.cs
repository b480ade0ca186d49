namespace WelfareAudit.Core.Searches;

/// <summary>
/// The text form of the domain's enums in the API and the ledger: camelCase names
/// (<c>missedAppointment</c>, <c>searchEngine</c>). Numbers are never accepted, so a stray integer
/// cannot select a member by position.
/// </summary>
public static class EnumText
{
    public static string ToText<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || !text.All(char.IsAsciiLetter))
        {
            return false;
        }
        return Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    public static string Allowed<T>() where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Select(v => ToText(v)));
}

using System.Text.Json;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>
/// One JSON object of a bundle line, read strictly (docs/audit.md, "Strict parsing"): its member names are
/// exactly the format's (none unknown, none twice, none missing) and each member has the format's JSON type.
/// A lenient reader would let an unsigned member (an event's "discussion") ride along with verified data, or
/// show one value of a duplicated member while another was hashed. Every failure is <c>Malformed</c> at the line.
/// </summary>
internal readonly struct BundleJsonObject
{
    private readonly JsonElement _element;

    private BundleJsonObject(JsonElement element, BundleLineContext context, string what)
    {
        _element = element;
        Context = context;
        What = what;
    }

    public BundleLineContext Context { get; }

    public string What { get; }

    /// <summary>Checks <paramref name="element"/> is an object whose members are exactly <paramref name="required"/> plus any of <paramref name="optional"/>.</summary>
    public static BundleJsonObject Of(JsonElement element, BundleLineContext context, string what, string[] required, string[]? optional = null)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw context.Malformed($"{what} is not a JSON object.");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in Names(element, context, what))
        {
            if (!seen.Add(name))
            {
                throw context.Malformed($"{what} has the member '{name}' twice.");
            }
            if (!required.Contains(name) && !(optional?.Contains(name) ?? false))
            {
                throw context.Malformed($"{what} has the member '{name}', which the format does not define.");
            }
        }
        foreach (var name in required)
        {
            if (!seen.Contains(name))
            {
                throw context.Malformed($"{what} lacks '{name}'.");
            }
        }
        return new BundleJsonObject(element, context, what);
    }

    /// <summary>A member that is a map (field name to value): its names are free, but none may appear twice.</summary>
    public IReadOnlyList<(string Name, JsonElement Value)> Map(string name)
    {
        var map = Member(name, JsonValueKind.Object, "an object");
        var members = new List<(string, JsonElement)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in map.EnumerateObject())
        {
            var member = Name(p, Context, $"'{name}'");
            if (!seen.Add(member))
            {
                throw Context.Malformed($"'{name}' has the member '{member}' twice.");
            }
            members.Add((member, p.Value));
        }
        return members;
    }

    public BundleJsonObject Object(string name, string[] required, string[]? optional = null) =>
        Of(Member(name, JsonValueKind.Object, "an object"), Context, $"'{name}'", required, optional);

    public JsonElement[] Array(string name) => [.. Member(name, JsonValueKind.Array, "a list").EnumerateArray()];

    public bool Has(string name) => _element.TryGetProperty(name, out _);

    public string String(string name) => Text(Member(name, JsonValueKind.String, "text"), Context, $"'{name}'");

    public long Integer(string name) =>
        Member(name, JsonValueKind.Number, "an integer").TryGetInt64(out var n) ? n : throw Context.Malformed($"'{name}' is not an integer.");

    public bool Boolean(string name) => _element.GetProperty(name).ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Context.Malformed($"'{name}' is not true or false."),
    };

    public DateTimeOffset Time(string name) =>
        Timestamps.TryParse(String(name), out var t) ? t : throw Context.Malformed($"'{name}' is not a ledger timestamp.");

    public DateTimeOffset? NullableTime(string name) => _element.GetProperty(name).ValueKind == JsonValueKind.Null ? null : Time(name);

    public byte[] Base64(string name)
    {
        try
        {
            return Convert.FromBase64String(String(name));
        }
        catch (FormatException)
        {
            throw Context.Malformed($"'{name}' is not base64.");
        }
    }

    /// <summary>A string value; an element of a list is read with this too.</summary>
    public static string Text(JsonElement value, BundleLineContext context, string what)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw context.Malformed($"{what} is not text.");
        }
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800"): not Unicode text, so not something the chain could have hashed.
            throw context.Malformed($"{what} is not well-formed Unicode text.");
        }
    }

    private JsonElement Member(string name, JsonValueKind kind, string expected)
    {
        var value = _element.GetProperty(name);
        return value.ValueKind == kind ? value : throw Context.Malformed($"'{name}' is not {expected}.");
    }

    private static IEnumerable<string> Names(JsonElement element, BundleLineContext context, string what) =>
        element.EnumerateObject().Select(p => Name(p, context, what));

    private static string Name(JsonProperty property, BundleLineContext context, string what)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            throw context.Malformed($"{what} has a member name that is not well-formed Unicode text.");
        }
    }
}

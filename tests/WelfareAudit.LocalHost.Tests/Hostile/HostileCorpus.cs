using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Searches;
using WelfareAudit.Http.Identity;

namespace WelfareAudit.LocalHost.Tests.Hostile;

/// <summary>Who the request claims to be.</summary>
public enum CallerKind
{
    /// <summary>The test class's therapist, with a well-formed principal.</summary>
    Therapist,

    /// <summary>A supervisor with a well-formed principal (reads every ledger).</summary>
    Supervisor,

    /// <summary>The principal header values of the case, as given (none, one or several header lines).</summary>
    Forged,
}

/// <summary>
/// One bad request. <c>{id}</c> in the path is replaced by the baseline search's id at run time, so
/// every refusal happens next to a search that a valid request would change. <paramref name="Markers"/>
/// are strings that were put into the request and must never come back in the response.
/// <paramref name="Field"/>, when given, is the field or parameter the problem response must name.
/// </summary>
public sealed record HostileCase(
    string Category,
    string Route,
    string Input,
    string Method,
    string Path,
    byte[]? Body,
    string? ContentType,
    int[] Expected,
    string[] Markers,
    CallerKind Caller = CallerKind.Therapist,
    string[]? PrincipalHeaders = null,
    bool Chunked = false,
    bool Raw = false,
    (string Name, string Value)[]? Headers = null,
    string? Field = null)
{
    /// <summary>Unique in the corpus; the theory shows it as its three parts (xunit cuts each string argument at 50 characters).</summary>
    public string Name => $"{Category}: {Route}, {Input}";
}

/// <summary>
/// Generates the hostile-input corpus: every row is derived from a valid request of a route by one
/// mutation (truncation, a wrong type, a missing or extra field, an oversized value, …), so each row is
/// refused for exactly the reason its name gives. The valid requests themselves are accepted (see
/// <c>HostileInputTests.ControlRequests_AreAccepted</c>), which proves the mutation is what is refused.
/// </summary>
public static partial class HostileCorpus
{
    /// <summary>Put into values and names; must never be echoed.</summary>
    public const string Marker = "Zq7Hostile";

    public const string Json = "application/json";

    /// <summary>The therapist whose ledger holds the baseline search (one per test run).</summary>
    public static readonly string TherapistId = Guid.NewGuid().ToString("D");

    private static readonly Lazy<IReadOnlyList<HostileCase>> Cases = new(Build);

    public static IReadOnlyList<HostileCase> All => Cases.Value;

    public static HostileCase Get(string category, string route, string input) =>
        All.Single(c => c.Category == category && c.Route == route && c.Input == input);

    private static readonly int[] BadRequest = [400];
    private static readonly int[] Unsupported = [415];
    private static readonly int[] TooLarge = [413];
    private static readonly int[] NotFound = [404];
    private static readonly int[] Unauthenticated = [401];

    // The input routes. Paths are relative to the host; {id} is the baseline search.
    private const string Searches = "api/searches";
    private const string NextSession = "api/searches/{id}/next-session";
    private const string Discussion = "api/searches/{id}/discussion";
    private const string Amendments = "api/searches/{id}/amendments";

    private sealed record BodyRoute(string Short, string Method, string Path, Func<JsonObject> Valid);

    private static BodyRoute[] BodyRoutes(DateTimeOffset now) =>
    [
        new("search", "POST", Searches, () => ValidSearch(now)),
        new("next-session", "PUT", NextSession, () => ValidNextSession(now)),
        new("discussion", "POST", Discussion, () => ValidDiscussion(now)),
        new("amendment", "POST", Amendments, () => ValidAmendment()),
    ];

    // ---- The valid requests every row starts from -------------------------------------------------

    public static JsonObject ValidSearch(DateTimeOffset now) => new()
    {
        ["clientRef"] = Marker + "-C1",
        ["occurredAt"] = now.AddMinutes(-30),
        ["crisis"] = new JsonObject
        {
            ["dangerSuspected"] = Marker + " disclosed a plan and missed the session.",
            ["riskLevel"] = "high",
            ["contactAttempts"] = new JsonArray(
                new JsonObject { ["channel"] = "missedAppointment", ["at"] = now.AddHours(-3) },
                new JsonObject { ["channel"] = "phone", ["at"] = now.AddHours(-2) }),
        },
        ["justification"] = Marker + " no answer by phone or email.",
        ["scope"] = new JsonObject
        {
            ["sources"] = new JsonArray("searchEngine", "facebook"),
            ["queries"] = new JsonArray(Marker + " name town"),
        },
        ["findings"] = Marker + " a public post.",
        ["actionsTaken"] = Marker + " called the emergency contact.",
        ["thirdPartyContacted"] = new JsonObject { ["recipient"] = Marker + " sibling", ["disclosed"] = Marker + " concern only." },
        ["nextSessionAt"] = now.AddDays(2),
    };

    public static JsonObject ValidNextSession(DateTimeOffset now) => new() { ["nextSessionAt"] = now.AddDays(3) };

    public static JsonObject ValidDiscussion(DateTimeOffset now) => new()
    {
        ["discussedAt"] = now.AddMinutes(-1),
        ["note"] = Marker + " talked it through.",
        ["clientResponse"] = Marker + " understood.",
    };

    public static JsonObject ValidAmendment() => new()
    {
        ["field"] = "findings",
        ["value"] = Marker + " the post was older.",
        ["reason"] = Marker + " misread the date.",
    };

    // ---- Building ---------------------------------------------------------------------------------

    private static IReadOnlyList<HostileCase> Build()
    {
        var now = DateTimeOffset.UtcNow;
        var cases = new List<HostileCase>();
        MalformedAndTruncated(cases, now);
        WrongTypes(cases, now);
        MissingAndExtra(cases, now);
        Huge(cases, now);
        DeepNesting(cases, now);
        ControlCharacters(cases, now);
        InvalidUtf8(cases, now);
        InvisibleAndBidi(cases, now);
        Dates(cases, now);
        Ids(cases, now);
        Principals(cases, now);
        ContentTypes(cases, now);
        DuplicateKeys(cases, now);
        Origins(cases, now);
        Reviews(cases);
        SearchListPaging(cases);
        Accounting(cases);
        CosignatureCorpus.Add(cases);

        var duplicates = cases.GroupBy(c => c.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException("Duplicate case names: " + string.Join(", ", duplicates));
        }
        return cases;
    }

    private static HostileCase Case(string category, string name, BodyRoute route, byte[]? body, int[] expected, params string[] markers) =>
        new(category, $"{route.Method} {route.Short}", name, route.Method, route.Path, body, Json, expected, markers.Length == 0 ? [Marker] : markers);

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Serialize(JsonNode node) => Utf8(node.ToJsonString());

    /// <summary>The route's valid body with the value at <paramref name="path"/> replaced by raw JSON bytes.</summary>
    private static byte[] WithRaw(JsonObject root, string path, byte[] raw)
    {
        const string placeholder = "\"__hostile_raw__\"";
        Set(root, path, "__hostile_raw__");
        var text = Serialize(root);
        var at = IndexOf(text, Utf8(placeholder));
        return [.. text.AsSpan(0, at), .. raw, .. text.AsSpan(at + placeholder.Length)];
    }

    private static byte[] WithRaw(JsonObject root, string path, string rawJson) => WithRaw(root, path, Utf8(rawJson));

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    /// <summary>Sets a value at a dotted path with indexes (<c>crisis.contactAttempts[0].at</c>).</summary>
    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var (parent, last) = Parent(root, path);
        switch (last)
        {
            case int i:
                parent.AsArray()[i] = value;
                break;
            case string name:
                parent.AsObject()[name] = value;
                break;
        }
    }

    private static void Remove(JsonObject root, string path)
    {
        var (parent, last) = Parent(root, path);
        if (last is string name)
        {
            parent.AsObject().Remove(name);
        }
        else
        {
            parent.AsArray().RemoveAt((int)last);
        }
    }

    private static (JsonNode Parent, object Last) Parent(JsonObject root, string path)
    {
        var segments = new List<object>();
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            segments.Add(bracket < 0 ? part : part[..bracket]);
            if (bracket >= 0)
            {
                segments.Add(int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        JsonNode node = root;
        foreach (var segment in segments.SkipLast(1))
        {
            node = segment is int i ? node.AsArray()[i]! : node.AsObject()[(string)segment]!;
        }
        return (node, segments[^1]);
    }

    // ---- Categories -------------------------------------------------------------------------------

    /// <summary>Syntax errors, and each valid body cut short at many offsets.</summary>
    private static void MalformedAndTruncated(List<HostileCase> cases, DateTimeOffset now)
    {
        const string category = "malformed";
        var search = BodyRoutes(now)[0];
        string[] broken =
        [
            "\r\n", " ", "{", "}", "[", "null", "true", "0", "\"text\"", "[]", "[{}]",
            "{\"clientRef\":}", "{\"clientRef\" \"x\"}", "{clientRef:\"" + Marker + "\"}", "{'clientRef':'" + Marker + "'}",
            "{\"clientRef\":\"" + Marker + "\",}", "{\"clientRef\":\"" + Marker + "\"}{}", "{\"clientRef\":\"" + Marker + "\"} x",
            "/*" + Marker + "*/{}", "{\"clientRef\":\"" + Marker + "\" // c\n}", "{\"clientRef\":NaN}", "{\"clientRef\":\"\\x41\"}",
            "{\"clientRef\":\"\\u12\"}", "\"\\", "{\"a\":[1,2,}",
        ];
        for (var i = 0; i < broken.Length; i++)
        {
            var shown = broken[i].Replace(Marker, "M", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
            cases.Add(Case(category, $"#{i:D2} {(shown.Trim().Length == 0 ? "blank" : shown)}", search, Utf8(broken[i]), BadRequest));
        }

        foreach (var route in BodyRoutes(now))
        {
            var valid = Serialize(route.Valid());
            var cuts = route.Short == "search" ? 24 : 6;
            foreach (var offset in Enumerable.Range(0, cuts).Select(k => (int)((long)(valid.Length - 1) * k / (cuts - 1))).Distinct())
            {
                if (offset >= valid.Length)
                {
                    continue;
                }
                cases.Add(Case("truncated", $"at {offset} of {valid.Length}", route, valid[..offset], BadRequest));
            }
        }
    }

    /// <summary>Each field of each body given values of the wrong JSON types.</summary>
    private static void WrongTypes(List<HostileCase> cases, DateTimeOffset now)
    {
        const string category = "wrong-type";
        var routes = BodyRoutes(now);
        (string Path, string[] Wrong)[] searchFields =
        [
            ("clientRef", ["42", "true", "[\"" + Marker + "\"]", "{\"v\":\"" + Marker + "\"}"]),
            ("occurredAt", ["1767225600", "true", "{}"]),
            ("crisis", ["\"" + Marker + "\"", "[]", "7"]),
            ("crisis.dangerSuspected", ["1", "[]"]),
            ("crisis.riskLevel", ["3", "\"3\"", "[\"high\"]"]),
            ("crisis.contactAttempts", ["\"phone\"", "{}"]),
            ("crisis.contactAttempts[0]", ["\"phone\"", "[]"]),
            ("crisis.contactAttempts[0].channel", ["0", "{}"]),
            ("crisis.contactAttempts[0].at", ["0", "[]"]),
            ("justification", ["false", "{}"]),
            ("scope", ["\"searchEngine\"", "[]"]),
            ("scope.sources", ["\"searchEngine\"", "1"]),
            ("scope.sources[0]", ["0", "{}"]),
            ("scope.queries", ["\"" + Marker + "\"", "{}"]),
            ("scope.queries[0]", ["1", "[]"]),
            ("findings", ["1.5", "[]"]),
            ("actionsTaken", ["true"]),
            ("thirdPartyContacted", ["\"" + Marker + "\"", "[]"]),
            ("thirdPartyContacted.recipient", ["1"]),
            ("nextSessionAt", ["1767225600", "\"" + Marker + "\""]),
        ];
        foreach (var (path, wrong) in searchFields)
        {
            foreach (var w in wrong)
            {
                cases.Add(Case(category, $"{path} = {Shorten(w)}", routes[0], WithRaw(routes[0].Valid(), path, w), BadRequest));
            }
        }
        (BodyRoute Route, string Path, string Wrong)[] others =
        [
            (routes[1], "nextSessionAt", "1767225600"), (routes[1], "nextSessionAt", "{}"), (routes[1], "nextSessionAt", "true"),
            (routes[2], "discussedAt", "0"), (routes[2], "note", "[\"" + Marker + "\"]"), (routes[2], "clientResponse", "{}"),
            (routes[3], "field", "1"), (routes[3], "value", "{\"v\":\"" + Marker + "\"}"), (routes[3], "reason", "true"),
        ];
        foreach (var (route, path, wrong) in others)
        {
            cases.Add(Case(category, $"{path} = {Shorten(wrong)}", route, WithRaw(route.Valid(), path, wrong), BadRequest));
        }
        // A whole body of the wrong shape.
        foreach (var route in routes.Skip(1))
        {
            cases.Add(Case(category, "body is an array", route, Utf8("[" + route.Valid().ToJsonString() + "]"), BadRequest));
        }
    }

    /// <summary>Required fields left out or blank, and fields the contract does not have (mass assignment).</summary>
    private static void MissingAndExtra(List<HostileCase> cases, DateTimeOffset now)
    {
        var routes = BodyRoutes(now);
        string[] required =
        [
            "clientRef", "occurredAt", "crisis", "crisis.dangerSuspected", "crisis.riskLevel", "crisis.contactAttempts",
            "crisis.contactAttempts[0].channel", "crisis.contactAttempts[0].at", "justification", "scope", "scope.sources",
            "thirdPartyContacted.recipient", "thirdPartyContacted.disclosed",
        ];
        foreach (var path in required)
        {
            var body = routes[0].Valid();
            Remove(body, path);
            cases.Add(Case("missing", $"without {path}", routes[0], Serialize(body), BadRequest));
        }
        foreach (var (path, empty) in new[] { ("crisis.contactAttempts", "[]"), ("scope.sources", "[]"), ("clientRef", "\"   \""), ("justification", "null"), ("crisis.contactAttempts[0]", "null"), ("scope.queries[0]", "\"\"") })
        {
            cases.Add(Case("missing", $"{path} = {empty}", routes[0], WithRaw(routes[0].Valid(), path, empty), BadRequest));
        }
        foreach (var (route, path) in new[] { (routes[2], "discussedAt"), (routes[3], "field"), (routes[3], "value"), (routes[3], "reason") })
        {
            var body = route.Valid();
            Remove(body, path);
            cases.Add(Case("missing", $"without {path}", route, Serialize(body), BadRequest));
        }
        cases.Add(Case("missing", "empty object", routes[0], Utf8("{}"), BadRequest));
        cases.Add(Case("missing", "empty object", routes[2], Utf8("{}"), BadRequest));
        cases.Add(Case("missing", "empty object", routes[3], Utf8("{}"), BadRequest));

        // Unknown names: server-owned fields a caller might try to set, prototype and metadata names,
        // and a name carrying the marker.
        string[] names = ["id", "sequence", "hash", "ledgerId", "therapist", "status", "recordedAt", "__proto__", "$type", "$ref", Marker + "Field", "<b>" + Marker + "</b>"];
        foreach (var name in names)
        {
            var body = routes[0].Valid();
            body[name] = Marker;
            cases.Add(Case("extra", $"root has \"{name}\"", routes[0], Serialize(body), BadRequest, Marker));
        }
        foreach (var parent in new[] { "crisis", "crisis.contactAttempts[0]", "scope", "thirdPartyContacted" })
        {
            var body = routes[0].Valid();
            var (node, last) = Parent(body, parent + ".x");
            node.AsObject()[Marker + "Extra"] = 1;
            _ = last;
            cases.Add(Case("extra", $"{parent} has an unknown member", routes[0], Serialize(body), BadRequest));
        }
        foreach (var route in routes.Skip(1))
        {
            var body = route.Valid();
            body["searchId"] = Guid.NewGuid().ToString();
            cases.Add(Case("extra", "has \"searchId\"", route, Serialize(body), BadRequest));
            var marked = route.Valid();
            marked[Marker + "Extra"] = Marker;
            cases.Add(Case("extra", "has a marked unknown member", route, Serialize(marked), BadRequest));
        }
    }

    /// <summary>Each limited value one past its limit, and bodies over the 64 KiB cap (with and without Content-Length).</summary>
    private static void Huge(List<HostileCase> cases, DateTimeOffset now)
    {
        const string category = "huge";
        var routes = BodyRoutes(now);
        (BodyRoute Route, string Path, int Limit)[] limits =
        [
            (routes[0], "clientRef", CrisisSearchValidator.MaxClientRefLength),
            (routes[0], "crisis.dangerSuspected", CrisisSearchValidator.MaxNarrativeLength),
            (routes[0], "justification", CrisisSearchValidator.MaxNarrativeLength),
            (routes[0], "findings", CrisisSearchValidator.MaxNarrativeLength),
            (routes[0], "actionsTaken", CrisisSearchValidator.MaxNarrativeLength),
            (routes[0], "scope.queries[0]", CrisisSearchValidator.MaxQueryLength),
            (routes[0], "thirdPartyContacted.recipient", CrisisSearchValidator.MaxRecipientLength),
            (routes[0], "thirdPartyContacted.disclosed", CrisisSearchValidator.MaxNarrativeLength),
            (routes[2], "note", CrisisSearchService.MaxNoteLength),
            (routes[2], "clientResponse", CrisisSearchService.MaxNoteLength),
            (routes[3], "value", CrisisSearchService.MaxNoteLength),
            (routes[3], "reason", CrisisSearchService.MaxReasonLength),
        ];
        foreach (var (route, path, limit) in limits)
        {
            var body = route.Valid();
            Set(body, path, Marker + new string('x', limit + 1 - Marker.Length));
            cases.Add(Case(category, $"{path} of {limit + 1} chars", route, Serialize(body), BadRequest));
            var wide = route.Valid();
            Set(wide, path, Marker + string.Concat(Enumerable.Repeat("é", limit + 1 - Marker.Length)));
            cases.Add(Case(category, $"{path} of {limit + 1} 'é'", route, Serialize(wide), BadRequest));
        }

        var counts = routes[0].Valid();
        Set(counts, "scope.queries", new JsonArray([.. Enumerable.Range(0, CrisisSearchValidator.MaxQueries + 1).Select(i => (JsonNode)JsonValue.Create(Marker + i)!)]));
        cases.Add(Case(category, $"{CrisisSearchValidator.MaxQueries + 1} queries", routes[0], Serialize(counts), BadRequest));
        var attempts = routes[0].Valid();
        Set(attempts, "crisis.contactAttempts", new JsonArray([.. Enumerable.Range(0, CrisisSearchValidator.MaxContactAttempts + 1)
            .Select(i => (JsonNode)new JsonObject { ["channel"] = "phone", ["at"] = now.AddHours(-3).AddMinutes(i) })]));
        cases.Add(Case(category, $"{CrisisSearchValidator.MaxContactAttempts + 1} contact attempts", routes[0], Serialize(attempts), BadRequest));
        var sources = routes[0].Valid();
        Set(sources, "scope.sources", new JsonArray([.. Enum.GetValues<SearchSource>().Select(s => (JsonNode)JsonValue.Create(EnumText.ToText(s))!), JsonValue.Create("blog")]));
        cases.Add(Case(category, "every source and one repeated", routes[0], Serialize(sources), BadRequest));

        // Over the 64 KiB body cap: a valid body padded with whitespace, a giant string, and a giant array.
        const int cap = WelfareAudit.Http.RequestBody.MaxBytes;
        foreach (var route in routes)
        {
            var valid = Serialize(route.Valid());
            var padded = (byte[])[.. valid[..^1], .. Enumerable.Repeat((byte)' ', cap + 1 - valid.Length), (byte)'}'];
            cases.Add(Case(category, $"valid body padded to {padded.Length} bytes", route, padded, TooLarge));
            cases.Add(Case(category, $"valid body padded to {padded.Length} bytes, chunked", route, padded, TooLarge) with { Chunked = true });
        }
        var giant = routes[0].Valid();
        Set(giant, "clientRef", Marker + new string('x', 70_000));
        cases.Add(Case(category, "clientRef of 70,000 chars", routes[0], Serialize(giant), TooLarge));
        var giantArray = routes[0].Valid();
        Set(giantArray, "scope.queries", new JsonArray([.. Enumerable.Range(0, 20_000).Select(_ => (JsonNode)JsonValue.Create("q")!)]));
        cases.Add(Case(category, "20,000 queries", routes[0], Serialize(giantArray), TooLarge));
        cases.Add(Case(category, "1 MiB of spaces, chunked", routes[0], [.. Enumerable.Repeat((byte)' ', 1 << 20)], TooLarge) with { Chunked = true });
    }

    /// <summary>Nesting past the reader's depth limit, in and outside known members.</summary>
    private static void DeepNesting(List<HostileCase> cases, DateTimeOffset now)
    {
        const string category = "deep";
        var routes = BodyRoutes(now);
        foreach (var depth in new[] { 17, 64, 1_000, 30_000 })
        {
            cases.Add(Case(category, $"{depth} nested arrays", routes[0], Utf8(new string('[', depth) + new string(']', depth)), BadRequest));
        }
        foreach (var depth in new[] { 20, 500 })
        {
            var nested = string.Concat(Enumerable.Repeat("{\"crisis\":", depth)) + "null" + new string('}', depth);
            cases.Add(Case(category, $"{depth} nested objects", routes[0], Utf8(nested), BadRequest));
            var inside = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "\"" + Marker + "\"" + new string('}', depth);
            cases.Add(Case(category, $"crisis holds {depth} nested objects", routes[0], WithRaw(routes[0].Valid(), "crisis", inside), BadRequest));
        }
        foreach (var route in routes.Skip(1))
        {
            var first = route.Valid().First().Key;
            cases.Add(Case(category, $"{first} holds 200 nested arrays", route, WithRaw(route.Valid(), first, new string('[', 200) + new string(']', 200)), BadRequest));
        }
    }

    /// <summary>Control characters, escaped (valid JSON, refused by the text rules) and raw (invalid JSON).</summary>
    private static void ControlCharacters(List<HostileCase> cases, DateTimeOffset now)
    {
        const string category = "control";
        var routes = BodyRoutes(now);
        // Single-line fields refuse every control character, line breaks and tabs included.
        foreach (var c in new[] { '\0', '\u0001', '\u0007', '\b', '\t', '\n', '\v', '\f', '\r', '\u001b', '\u007f', '\u0085', '\u009b' })
        {
            var body = routes[0].Valid();
            Set(body, "clientRef", Marker + c + "C1");
            cases.Add(Case(category, $"clientRef has U+{(int)c:X4}", routes[0], Serialize(body), BadRequest));
        }
        foreach (var (path, c) in new[] { ("scope.queries[0]", '\n'), ("thirdPartyContacted.recipient", '\r'), ("justification", '\0'), ("findings", '\u001b'), ("crisis.dangerSuspected", '\u007f') })
        {
            var body = routes[0].Valid();
            Set(body, path, Marker + c + "x");
            cases.Add(Case(category, $"{path} has U+{(int)c:X4}", routes[0], Serialize(body), BadRequest));
        }
        foreach (var (route, path) in new[] { (routes[2], "note"), (routes[2], "clientResponse"), (routes[3], "value"), (routes[3], "reason") })
        {
            var body = route.Valid();
            Set(body, path, Marker + "\0\u001b[2J");
            cases.Add(Case(category, $"{path} has NUL and an ANSI escape", route, Serialize(body), BadRequest));
        }
        // Raw control bytes inside a JSON string are not JSON.
        foreach (var b in new byte[] { 0x00, 0x0a, 0x1f })
        {
            cases.Add(Case(category, $"raw byte 0x{b:X2} in clientRef", routes[0], WithRaw(routes[0].Valid(), "clientRef", [(byte)'"', .. Utf8(Marker), b, (byte)'"']), BadRequest));
        }
    }

    /// <summary>Bytes that are not UTF-8, sent as they are (not re-encoded by a string content).</summary>
    private static void InvalidUtf8(List<HostileCase> cases, DateTimeOffset now)
    {
        const string category = "invalid-utf8";
        var routes = BodyRoutes(now);
        (string Name, byte[] Bytes)[] sequences =
        [
            ("0xFF", [0xFF]),
            ("0xC0 0xAF (overlong '/')", [0xC0, 0xAF]),
            ("E0 80 AF (overlong)", [0xE0, 0x80, 0xAF]),
            ("ED A0 80 (encoded surrogate)", [0xED, 0xA0, 0x80]),
            ("F4 90 80 80 (beyond U+10FFFF)", [0xF4, 0x90, 0x80, 0x80]),
            ("0xE2 0x82 (cut short)", [0xE2, 0x82]),
            ("0x80 (lone continuation)", [0x80]),
            ("F8 88 80 80 80 (5-byte form)", [0xF8, 0x88, 0x80, 0x80, 0x80]),
        ];
        foreach (var (name, bytes) in sequences)
        {
            cases.Add(Case(category, $"{name} in clientRef", routes[0], WithRaw(routes[0].Valid(), "clientRef", [(byte)'"', .. Utf8(Marker), .. bytes, (byte)'"']), BadRequest));
        }
        foreach (var (name, bytes) in sequences.Take(4))
        {
            cases.Add(Case(category, $"{name} in justification", routes[0], WithRaw(routes[0].Valid(), "justification", [(byte)'"', .. bytes, .. Utf8(Marker), (byte)'"']), BadRequest));
        }
        // In a property name, outside any string, and as the whole body.
        var valid = Serialize(routes[0].Valid());
        cases.Add(Case(category, "0xFF in a property name", routes[0], [.. valid[..^1], .. Utf8(",\"" + Marker), 0xFF, .. Utf8("\":1}")], BadRequest));
        cases.Add(Case(category, "0xFF between members", routes[0], [.. valid[..^1], (byte)',', 0xFF, (byte)'}'], BadRequest));
        cases.Add(Case(category, "UTF-16LE body declared as UTF-8", routes[0], Encoding.Unicode.GetBytes(routes[0].Valid().ToJsonString()), BadRequest));
        cases.Add(Case(category, "Latin-1 body with 0xE9", routes[0], WithRaw(routes[0].Valid(), "justification", [(byte)'"', 0x63, 0x61, 0x66, 0xE9, (byte)'"']), BadRequest));
        foreach (var (route, path) in new[] { (routes[2], "note"), (routes[3], "value"), (routes[3], "field") })
        {
            cases.Add(Case(category, $"0xC0 0xAF in {path}", route, WithRaw(route.Valid(), path, [(byte)'"', .. Utf8(Marker), 0xC0, 0xAF, (byte)'"']), BadRequest));
        }
    }

    /// <summary>
    /// Invisible and direction-changing characters where they are refused: in the client code (an
    /// identifier: an invisible or reordered character would make two codes look alike and split one
    /// client's searches), line and paragraph separators in single-line fields, and lone surrogates
    /// anywhere. Free text keeps RTL text, marks and joiners (see docs/reliability.md).
    /// </summary>
    private static void InvisibleAndBidi(List<HostileCase> cases, DateTimeOffset now)
    {
        const string category = "bidi-invisible";
        var routes = BodyRoutes(now);
        (string Name, string Chars)[] format =
        [
            ("RLO U+202E", "\u202E"), ("LRO U+202D", "\u202D"), ("LRE U+202A", "\u202A"), ("RLE U+202B", "\u202B"), ("PDF U+202C", "\u202C"),
            ("LRI U+2066", "\u2066"), ("RLI U+2067", "\u2067"), ("FSI U+2068", "\u2068"), ("PDI U+2069", "\u2069"),
            ("LRM U+200E", "\u200E"), ("RLM U+200F", "\u200F"), ("ALM U+061C", "\u061C"),
            ("ZWSP U+200B", "\u200B"), ("ZWNJ U+200C", "\u200C"), ("ZWJ U+200D", "\u200D"), ("WJ U+2060", "\u2060"),
            ("BOM U+FEFF", "\uFEFF"), ("soft hyphen U+00AD", "\u00AD"), ("tag U+E0041", "\U000E0041"),
        ];
        foreach (var (name, chars) in format)
        {
            var body = routes[0].Valid();
            Set(body, "clientRef", "C-" + chars + "1001" + Marker);
            cases.Add(Case(category, $"clientRef has {name}", routes[0], Serialize(body), BadRequest));
        }
        var amend = routes[3].Valid();
        amend["field"] = "clientRef";
        amend["value"] = "C-\u202E1001" + Marker;
        cases.Add(Case(category, "clientRef amended to a value with RLO U+202E", routes[3], Serialize(amend), BadRequest));
        var amendLines = routes[3].Valid();
        amendLines["field"] = "clientRef";
        amendLines["value"] = "C-1001\n" + Marker;
        cases.Add(Case(category, "clientRef amended to two lines", routes[3], Serialize(amendLines), BadRequest));

        foreach (var (path, sep) in new[] { ("clientRef", "\u2028"), ("scope.queries[0]", "\u2029"), ("thirdPartyContacted.recipient", "\u2028") })
        {
            var body = routes[0].Valid();
            Set(body, path, Marker + sep + "x");
            cases.Add(Case(category, $"{path} has U+{(int)sep[0]:X4}", routes[0], Serialize(body), BadRequest));
        }

        (string Name, string Escape)[] surrogates =
        [
            ("lone high surrogate", "\\uD800"), ("lone low surrogate", "\\uDC00"), ("reversed pair", "\\uDC00\\uD800"), ("high then letter", "\\uDBFFA"),
        ];
        foreach (var (name, escape) in surrogates)
        {
            cases.Add(Case(category, $"clientRef has a {name}", routes[0], WithRaw(routes[0].Valid(), "clientRef", "\"" + Marker + escape + "\""), BadRequest));
        }
        foreach (var (route, path) in new[] { (routes[0], "justification"), (routes[0], "scope.queries[0]"), (routes[2], "note"), (routes[3], "value"), (routes[3], "reason") })
        {
            cases.Add(Case(category, $"{path} has a lone high surrogate", route, WithRaw(route.Valid(), path, "\"" + Marker + "\\uD83D\""), BadRequest));
        }
    }

    /// <summary>Times out of range, out of order, at the offset limits, and not ISO 8601.</summary>
    private static void Dates(List<HostileCase> cases, DateTimeOffset now)
    {
        const string category = "date";
        var routes = BodyRoutes(now);
        string[] outOfRange =
        [
            "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00", "1970-01-01T00:00:00Z", "1999-12-31T23:59:59.9999999Z",
            "2000-01-01T00:00:00+14:00", "9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59-14:00", "2100-01-01T00:00:00Z",
            Iso(now.AddHours(1)), Iso(now.AddMinutes(30).ToOffset(TimeSpan.FromHours(-12))),
        ];
        string[] notIso =
        [
            "yesterday", "01/02/2026 10:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01T25:00:00Z",
            "2026-01-01T00:00:00+15:00", "2026-01-01T00:00:00+14:01", "1767225600", "", "2026-W01-1T00:00:00Z", "+002026-01-01T00:00:00Z",
            "2026-01-01T00:00:00Z" + Marker,
        ];
        foreach (var value in outOfRange)
        {
            cases.Add(Case(category, $"occurredAt = {value}", routes[0], WithRaw(routes[0].Valid(), "occurredAt", JsonSerializer.Serialize(value)), BadRequest));
        }
        foreach (var value in notIso)
        {
            cases.Add(Case(category, $"occurredAt not ISO: \"{value.Replace(Marker, "M", StringComparison.Ordinal)}\"", routes[0], WithRaw(routes[0].Valid(), "occurredAt", JsonSerializer.Serialize(value)), BadRequest));
        }
        foreach (var value in new[] { "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "yesterday" })
        {
            cases.Add(Case(category, $"contact attempt at = {value}", routes[0], WithRaw(routes[0].Valid(), "crisis.contactAttempts[0].at", JsonSerializer.Serialize(value)), BadRequest));
        }
        var afterSearch = routes[0].Valid();
        Set(afterSearch, "crisis.contactAttempts[1].at", now.AddMinutes(-10));
        cases.Add(Case(category, "contact attempt after the search", routes[0], Serialize(afterSearch), BadRequest));
        foreach (var value in new[] { Iso(now.AddMinutes(-40)), Iso(now.AddDays(400)), "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z" })
        {
            cases.Add(Case(category, $"nextSessionAt = {value}", routes[0], WithRaw(routes[0].Valid(), "nextSessionAt", JsonSerializer.Serialize(value)), BadRequest));
        }
        // Later changes to the baseline search (logged two hours before the run).
        foreach (var value in new[] { "2001-01-01T00:00:00Z", Iso(now.AddDays(-1)), Iso(now.AddDays(400)), "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00", "tomorrow" })
        {
            cases.Add(Case(category, $"nextSessionAt = {value}", routes[1], WithRaw(routes[1].Valid(), "nextSessionAt", JsonSerializer.Serialize(value)), BadRequest));
        }
        foreach (var value in new[] { "2020-01-01T00:00:00Z", Iso(now.AddHours(1)), "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "now" })
        {
            cases.Add(Case(category, $"discussedAt = {value}", routes[2], WithRaw(routes[2].Valid(), "discussedAt", JsonSerializer.Serialize(value)), BadRequest));
        }

        // The export's bounds outside the supported range (0001-01-01 to 9999-12-30, UTC): past the end of
        // DateTimeOffset once "to" is made exclusive (+1 day, +1 tick), or once an offset is applied.
        (string Parameter, string Value)[] exportBounds =
        [
            ("to", "9999-12-31"), ("to", "9999-12-31T00:00:00Z"), ("to", "9999-12-31T23:59:59.9999999Z"), ("to", "9999-12-31T23:59:59-14:00"),
            ("to", "9999-12-30T23:00:00-14:00"), ("to", "0001-01-01T00:00:00+14:00"), ("to", "10000-01-01"),
            ("from", "9999-12-31"), ("from", "9999-12-31T12:00:00+00:00"), ("from", "9999-12-30T23:00:00-14:00"),
            ("from", "9999-12-31T23:59:59.9999999Z"), ("from", "0001-01-01T00:00:00+14:00"), ("from", "0000-12-31"),
        ];
        foreach (var (parameter, value) in exportBounds)
        {
            cases.Add(new HostileCase(category, "GET export as supervisor", $"{parameter} = {value}", "GET",
                $"api/audit/export?format=bundle&{parameter}={Uri.EscapeDataString(value)}", null, null, BadRequest, [value], CallerKind.Supervisor, Field: parameter));
        }
    }

    private static string Iso(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Search ids with OData filter syntax, path traversal and other shapes; the therapist and status query.</summary>
    private static void Ids(List<HostileCase> cases, DateTimeOffset now)
    {
        var routes = BodyRoutes(now);
        (string Name, string Segment)[] ids =
        [
            ("OData or-clause", Uri.EscapeDataString($"{Marker}' or PartitionKey ne '")),
            ("OData eq true", Uri.EscapeDataString($"' or true eq true or RowKey eq '{Marker}")),
            ("row key 'head'", "head"),
            ("projection row key", "search-" + Guid.Empty.ToString("D")),
            ("all zeros", Guid.Empty.ToString("D")),
            ("unknown guid", "5c1d2a8e-3b1f-4c8e-9a0d-2f6b1e4c7d90"),
            ("guid in braces", Uri.EscapeDataString("{5c1d2a8e-3b1f-4c8e-9a0d-2f6b1e4c7d90}")),
            ("guid without dashes", "5c1d2a8e3b1f4c8e9a0d2f6b1e4c7d90"),
            ("encoded traversal", "..%2F..%2F" + Marker),
            ("encoded dot segment", "%2E%2E"),
            ("encoded NUL", Marker + "%00"),
            ("2,000 characters", Marker + new string('a', 2_000)),
            ("RLO in id", Uri.EscapeDataString(Marker + "\u202E")),
        ];
        (string Short, string Method, string Template, BodyRoute? Route)[] idRoutes =
        [
            ("get", "GET", "api/searches/{sid}", null),
            ("next-session", "PUT", "api/searches/{sid}/next-session", routes[1]),
            ("discussion", "POST", "api/searches/{sid}/discussion", routes[2]),
            ("amendment", "POST", "api/searches/{sid}/amendments", routes[3]),
        ];
        foreach (var (shortName, method, template, route) in idRoutes)
        {
            foreach (var (name, segment) in ids)
            {
                // GET rows cover every id; the write routes the injection and traversal ones.
                if (route is not null && !name.StartsWith("OData", StringComparison.Ordinal) && name is not ("row key 'head'" or "encoded traversal" or "encoded NUL" or "2,000 characters"))
                {
                    continue;
                }
                var body = route is null ? null : Serialize(route.Valid());
                cases.Add(new HostileCase("id", $"{method} {shortName}", name, method, template.Replace("{sid}", segment, StringComparison.Ordinal),
                    body, body is null ? null : Json, [400, 404], [Marker]));
            }
            // Real dot segments, sent raw so that no client normalizes them away.
            var traversal = template.Replace("{sid}", "{id}/../../../" + Marker, StringComparison.Ordinal);
            var rawBody = route is null ? null : Serialize(route.Valid());
            cases.Add(new HostileCase("id", $"{method} {shortName}", "../ traversal (raw)", method, "/" + traversal, rawBody, rawBody is null ? null : Json,
                [404, 405], [Marker], Raw: true));
        }
        cases.Add(new HostileCase("id", "POST discussion", "../ traversal onto the ledger (raw)", "POST", "/api/searches/{id}/../../ledger/verify",
            Serialize(routes[2].Valid()), Json, [404, 405], [Marker], Raw: true));

        string[] therapists =
        [
            $"{Marker}' or PartitionKey ne '", "' or '1' eq '1", "x' and RowKey ge '0", "PartitionKey eq 'other'", "../" + Marker, "..%2F..",
            "*", Marker + "\0", Marker + new string('a', 129), "thérapeute" + Marker, Marker + " x", Marker + "\u202E", "a,b" + Marker, "(" + Marker + ")",
        ];
        foreach (var (therapist, i) in therapists.Select((t, i) => (t, i)))
        {
            var path = "api/searches?therapist=" + Uri.EscapeDataString(therapist);
            cases.Add(new HostileCase("query", "GET list as therapist", $"therapist #{i:D2} {Shorten(therapist.Replace(Marker, "M", StringComparison.Ordinal))}", "GET", path, null, null, BadRequest, [Marker]));
            cases.Add(new HostileCase("query", "GET list as supervisor", $"therapist #{i:D2} {Shorten(therapist.Replace(Marker, "M", StringComparison.Ordinal))}", "GET", path, null, null, BadRequest, [Marker], CallerKind.Supervisor));
        }
        foreach (var (query, i) in new[] { "status=" + Marker, "status=all'%20or%20'" + Marker, "status=all&status=closed", "therapist=a&therapist=b", "status=ALL", "status=%00" }.Select((q, i) => (q, i)))
        {
            cases.Add(new HostileCase("query", "GET list as supervisor", $"status #{i:D2} {Shorten(query.Replace(Marker, "M", StringComparison.Ordinal))}", "GET", "api/searches?" + query, null, null, BadRequest, [Marker], CallerKind.Supervisor));
        }
        foreach (var (query, i) in new[] { "risk=" + Marker, "risk=2", "risk=high'%20or%20'" + Marker, "risk=high&risk=low", "risk=%00" }.Select((q, i) => (q, i)))
        {
            cases.Add(new HostileCase("query", "GET list as therapist", $"risk #{i:D2} {Shorten(query.Replace(Marker, "M", StringComparison.Ordinal))}", "GET", "api/searches?" + query, null, null, BadRequest, [Marker]));
        }
    }

    /// <summary>Forged, malformed and ambiguous <c>X-MS-CLIENT-PRINCIPAL</c> headers, on every input route, with otherwise valid requests.</summary>
    private static void Principals(List<HostileCase> cases, DateTimeOffset now)
    {
        const string category = "principal";
        var oid = TherapistId;
        static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
        static string Claims(params (string Typ, string Val)[] claims) =>
            JsonSerializer.Serialize(new { auth_typ = "aad", claims = claims.Select(c => new { typ = c.Typ, val = c.Val }), name_typ = "name", role_typ = "roles" });
        var oidClaim = (ClientPrincipal.ObjectIdClaim, oid);

        (string Name, string[] Headers, int[] Expected)[] forged =
        [
            ("no header", [], Unauthenticated),
            ("empty header", [""], Unauthenticated),
            ("not base64", [Marker + "!*"], Unauthenticated),
            ("base64url alphabet", [B64(Claims(oidClaim, ("roles", "Therapist"))).Replace('+', '-').Replace('/', '_').TrimEnd('=') + "-_"], Unauthenticated),
            ("base64 of text", [B64(Marker + " not json")], Unauthenticated),
            ("JSON array", [B64("[" + Claims(oidClaim, ("roles", "Therapist")) + "]")], Unauthenticated),
            ("JSON string", [B64("\"" + Marker + "\"")], Unauthenticated),
            ("JSON null", [B64("null")], Unauthenticated),
            ("JSON number", [B64("42")], Unauthenticated),
            ("empty object", [B64("{}")], Unauthenticated),
            ("claims is an object", [B64("{\"claims\":{\"typ\":\"oid\",\"val\":\"" + oid + "\"}}")], Unauthenticated),
            ("claim value is a number", [B64("{\"claims\":[{\"typ\":\"oid\",\"val\":42},{\"typ\":\"roles\",\"val\":\"Therapist\"}]}")], Unauthenticated),
            ("no object id", [B64(Claims(("roles", "Therapist"), ("name", Marker)))], Unauthenticated),
            ("empty object id", [B64(Claims((ClientPrincipal.ObjectIdClaim, ""), ("roles", "Therapist")))], Unauthenticated),
            ("OData in object id", [B64(Claims((ClientPrincipal.ObjectIdClaim, oid + "' or PartitionKey ne '" + Marker), ("roles", "Therapist")))], Unauthenticated),
            ("traversal in object id", [B64(Claims((ClientPrincipal.ObjectIdClaim, "../" + Marker), ("roles", "Therapist")))], Unauthenticated),
            ("object id of 129 chars", [B64(Claims((ClientPrincipal.ObjectIdClaim, Marker + new string('a', 129 - Marker.Length)), ("roles", "Therapist")))], Unauthenticated),
            ("object id with RLO", [B64(Claims((ClientPrincipal.ObjectIdClaim, oid + "\u202E"), ("roles", "Therapist")))], Unauthenticated),
            ("invalid UTF-8 in JSON", [Convert.ToBase64String([.. Encoding.UTF8.GetBytes("{\"claims\":[{\"typ\":\"oid\",\"val\":\"" + oid), 0xFF, .. Encoding.UTF8.GetBytes("\"}]}")])], Unauthenticated),
            ("nested past depth 8", [B64("{\"claims\":[{\"typ\":" + new string('[', 12) + new string(']', 12) + "}]}")], Unauthenticated),
            ("duplicate claims key, last empty", [B64("{\"claims\":[{\"typ\":\"oid\",\"val\":\"" + oid + "\"},{\"typ\":\"roles\",\"val\":\"Therapist\"}],\"claims\":[]}")], Unauthenticated),
            ("header over 16 KiB", [B64(Claims(oidClaim, ("roles", "Therapist"), ("pad", new string('p', 13_000))))], Unauthenticated),
            ("header over 64 KiB", [new string('A', 70_000)], [401, 431]),
            ("two principal header lines", [ClientPrincipal.Encode(oid, Role.Therapist), ClientPrincipal.Encode(Guid.NewGuid().ToString(), Role.Therapist)], Unauthenticated),
            ("lower-case role name", [B64(Claims(oidClaim, ("roles", "therapist")))], [403]),
            ("role with trailing space", [B64(Claims(oidClaim, ("roles", "Therapist ")))], [403]),
            ("role as a number", [B64(Claims(oidClaim, ("roles", "0")))], [403]),
            ("two roles in one claim", [B64(Claims(oidClaim, ("roles", "Supervisor,Therapist")))], [403]),
            ("unknown role Admin", [B64(Claims(oidClaim, ("roles", "Admin")))], [403]),
            ("role under claim type 'role'", [B64(Claims(oidClaim, ("role", "Therapist")))], [403]),
            ("supervisor writing", [ClientPrincipal.Encode(oid, Role.Supervisor)], [403]),
        ];
        var search = BodyRoutes(now)[0];
        foreach (var (name, headers, expected) in forged)
        {
            cases.Add(new HostileCase(category, "POST search", name, "POST", Searches, Serialize(search.Valid()), Json, expected, [Marker],
                CallerKind.Forged, headers, Raw: headers.Length > 1));
        }
        string[] perRoute = ["not base64", "no object id", "OData in object id", "two principal header lines", "lower-case role name"];
        foreach (var route in BodyRoutes(now).Skip(1))
        {
            foreach (var (name, headers, expected) in forged.Where(f => perRoute.Contains(f.Name)))
            {
                cases.Add(new HostileCase(category, $"{route.Method} {route.Short}", name, route.Method, route.Path, Serialize(route.Valid()), Json,
                    expected is [403] ? [403, 404] : expected, [Marker], CallerKind.Forged, headers, Raw: headers.Length > 1));
            }
        }
        foreach (var (name, headers, expected) in forged.Where(f => f.Name is "not base64" or "OData in object id" or "two principal header lines"))
        {
            cases.Add(new HostileCase(category, "GET list", name, "GET", Searches + "?therapist=" + oid, null, null, expected, [Marker], CallerKind.Forged, headers, Raw: headers.Length > 1));
            cases.Add(new HostileCase(category, "GET verify", name, "GET", "api/ledger/verify", null, null, expected, [Marker], CallerKind.Forged, headers, Raw: headers.Length > 1));
        }
    }

    /// <summary>Valid bodies declared as something other than UTF-8 JSON.</summary>
    private static void ContentTypes(List<HostileCase> cases, DateTimeOffset now)
    {
        const string category = "content-type";
        string?[] types =
        [
            null, "text/plain", "text/json", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/json; charset=utf-16", "application/json; charset=latin1", "application/problem+json", "application/json-patch+json",
            "application/*", "*/*", "application/jsonx", "json", "application/json; charset=" + Marker,
        ];
        var routes = BodyRoutes(now);
        foreach (var type in types)
        {
            cases.Add(Case(category, $"as {type ?? "(none)"}", routes[0], Serialize(routes[0].Valid()), Unsupported) with { ContentType = type });
        }
        foreach (var route in routes.Skip(1))
        {
            foreach (var type in new[] { null, "text/plain", "application/json; charset=utf-16" })
            {
                cases.Add(Case(category, $"as {type ?? "(none)"}", route, Serialize(route.Valid()), Unsupported) with { ContentType = type });
            }
        }
        cases.Add(Case(category, "UTF-16 body as charset=utf-16", routes[0], Encoding.Unicode.GetBytes(routes[0].Valid().ToJsonString()), Unsupported)
            with { ContentType = "application/json; charset=utf-16" });
    }

    /// <summary>
    /// Requests that reach the loopback socket but come from another site: a rebound Host (DNS rebinding),
    /// a cross-site Origin or Sec-Fetch-Site (a form or script on another page), and forwarded headers that
    /// claim loopback. Each carries the therapist's valid principal and body, so only the origin is wrong.
    /// </summary>
    private static void Origins(List<HostileCase> cases, DateTimeOffset now)
    {
        const string category = "origin";
        var attacker = Marker.ToLowerInvariant() + ".attacker.example";
        (string Name, (string, string)[] Headers)[] foreign =
        [
            ("Host is a rebound name", [("Host", attacker + ":{port}")]),
            ("Host is a rebound name, no port", [("Host", attacker)]),
            ("Host is localhost on another port", [("Host", "localhost:1")]),
            ("Host rebound, X-Forwarded-Host loopback", [("Host", attacker + ":{port}"), ("X-Forwarded-Host", "127.0.0.1:{port}")]),
            ("Host rebound, X-Forwarded-For loopback", [("Host", attacker + ":{port}"), ("X-Forwarded-For", "127.0.0.1")]),
            ("Origin is another site", [("Origin", "http://" + attacker)]),
            ("Origin is null", [("Origin", "null")]),
            ("Origin is loopback on another port", [("Origin", "http://127.0.0.1:1")]),
            ("Sec-Fetch-Site cross-site", [("Sec-Fetch-Site", "cross-site")]),
            ("Sec-Fetch-Site same-site", [("Sec-Fetch-Site", "same-site")]),
            ("same-origin Origin, cross-site fetch", [("Origin", "http://127.0.0.1:{port}"), ("Sec-Fetch-Site", "cross-site")]),
        ];
        foreach (var route in BodyRoutes(now))
        {
            foreach (var (name, headers) in foreign)
            {
                cases.Add(Case(category, name, route, Serialize(route.Valid()), [403]) with { Headers = headers });
            }
        }
        foreach (var (name, headers) in foreign.Where(f => f.Name is "Host is a rebound name" or "Sec-Fetch-Site cross-site"))
        {
            cases.Add(new HostileCase(category, "GET list", name, "GET", Searches, null, null, [403], [Marker], Headers: headers));
            cases.Add(new HostileCase(category, "GET verify", name, "GET", "api/ledger/verify", null, null, [403], [Marker], Headers: headers));
        }
    }

    /// <summary>A member given twice (the reader would otherwise keep one silently), also in another letter case.</summary>
    private static void DuplicateKeys(List<HostileCase> cases, DateTimeOffset now)
    {
        const string category = "duplicate-key";
        var routes = BodyRoutes(now);
        foreach (var route in routes)
        {
            var valid = route.Valid();
            foreach (var (name, value) in valid.ToList())
            {
                if (route.Short != "search" && name != valid.First().Key)
                {
                    continue;
                }
                var text = Serialize(valid);
                var extra = Utf8($",\"{name}\":{value!.ToJsonString()}}}");
                cases.Add(Case(category, $"\"{name}\" twice", route, [.. text[..^1], .. extra], BadRequest));
            }
            var first = valid.First().Key;
            var pascal = char.ToUpperInvariant(first[0]) + first[1..];
            cases.Add(Case(category, $"\"{first}\" and \"{pascal}\"", route, [.. Serialize(valid)[..^1], .. Utf8($",\"{pascal}\":{valid[first]!.ToJsonString()}}}")], BadRequest));
        }
        foreach (var (parent, member) in new[] { ("crisis", "riskLevel"), ("crisis.contactAttempts[0]", "at"), ("scope", "sources"), ("thirdPartyContacted", "recipient") })
        {
            var body = routes[0].Valid();
            var (node, _) = Parent(body, parent + ".x");
            var original = node.AsObject()[member]!.ToJsonString();
            var marked = "\"__dup__\"";
            node.AsObject()["__dup__"] = "x";
            var text = body.ToJsonString().Replace("\"__dup__\":\"x\"", $"\"{member}\":{original}", StringComparison.Ordinal);
            _ = marked;
            cases.Add(Case(category, $"{parent}.{member} twice", routes[0], Utf8(text), BadRequest));
        }
    }

    private static string Shorten(string s)
    {
        var clean = new string([.. s.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c)]);
        return clean.Length <= 24 ? clean : clean[..21] + "...";
    }
}

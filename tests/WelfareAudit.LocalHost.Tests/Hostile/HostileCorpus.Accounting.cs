using System.Text.Json.Nodes;

namespace WelfareAudit.LocalHost.Tests.Hostile;

public static partial class HostileCorpus
{
    private const string ClientAccounting = "api/clients/accounting";

    public static JsonObject ValidAccounting() => new() { ["clientRef"] = Marker + "-C1", ["format"] = "html" };

    /// <summary>
    /// The client's accounting: a bad client code or format in the body (400 naming the field), and the client code put
    /// in the URL instead of the body, as the path the route does not have (404 or 405, never served). Traversal and
    /// encoded slashes inside the body are only text that never reaches a path: they are refused where they would
    /// matter, in the URL.
    /// </summary>
    private static void Accounting(List<HostileCase> cases)
    {
        const string category = "accounting";
        void Body(string input, JsonObject body, string field) =>
            cases.Add(new HostileCase(category, "POST accounting", input, "POST", ClientAccounting, Serialize(body), Json, BadRequest, [Marker], Field: field));
        JsonObject With(string name, JsonNode? value)
        {
            var body = ValidAccounting();
            body[name] = value;
            return body;
        }

        Body("clientRef of 65 characters", With("clientRef", Marker + new string('x', 65 - Marker.Length)), "clientRef");
        Body("clientRef of 10,000 characters", With("clientRef", Marker + new string('x', 10_000)), "clientRef");
        foreach (var c in new[] { '\0', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u2028' })
        {
            Body($"clientRef has U+{(int)c:X4}", With("clientRef", Marker + c + "C1"), "clientRef");
        }
        Body("clientRef has RLO", With("clientRef", Marker + "\u202E1C"), "clientRef");
        Body("clientRef has a zero-width space", With("clientRef", Marker + "\u200BC1"), "clientRef");
        Body("clientRef blank", With("clientRef", "   "), "clientRef");
        Body("clientRef null", With("clientRef", null), "clientRef");
        Body("clientRef missing", new JsonObject { ["format"] = "html" }, "clientRef");
        Body("clientRef a number", With("clientRef", 42), "clientRef");
        Body("clientRef a list", With("clientRef", new JsonArray(Marker)), "clientRef");
        Body("format missing", new JsonObject { ["clientRef"] = Marker + "-C1" }, "format");
        Body("format pdf", With("format", "pdf"), "format");
        Body("format in upper case", With("format", "HTML"), "format");
        Body("format path traversal", With("format", "../../" + Marker), "format");
        cases.Add(new HostileCase(category, "POST accounting", "lone surrogate in clientRef", "POST", ClientAccounting,
            WithRaw(ValidAccounting(), "clientRef", "\"" + Marker + "\\ud800\""), Json, BadRequest, [Marker], Field: "clientRef"));
        cases.Add(new HostileCase(category, "POST accounting", "unknown property clientIndex", "POST", ClientAccounting,
            Serialize(With("clientIndex", Marker)), Json, BadRequest, [Marker]));

        // The client code in the URL, as a path segment (plain, traversing, with encoded slashes): no route serves it.
        foreach (var (name, segment) in new[]
        {
            ("code in the path", Marker + "-C1"),
            ("encoded slash in the path", Uri.EscapeDataString(Marker + "/C1")),
            ("encoded traversal in the path", "..%2F..%2F" + Marker),
            ("encoded NUL in the path", Marker + "%00"),
        })
        {
            foreach (var method in new[] { "GET", "POST" })
            {
                var body = method == "POST" ? Serialize(ValidAccounting()) : null;
                cases.Add(new HostileCase(category, $"{method} accounting by path", name, method, $"api/clients/{segment}/accounting",
                    body, body is null ? null : Json, [400, 404, 405], [Marker]));
            }
        }
        cases.Add(new HostileCase(category, "GET accounting", "code in the query", "GET", $"{ClientAccounting}?clientRef={Marker}-C1", null, null, [404, 405], [Marker]));
    }
}

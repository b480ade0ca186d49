using System.Text.Json.Nodes;
using WelfareAudit.Core.Reviews;

namespace WelfareAudit.LocalHost.Tests.Hostile;

/// <summary>
/// The supervisor's routes (issue 16): the review body, the queue's query parameters, the oversight view's
/// (none). Each row is a supervisor's request next to the baseline search, refused for its one mutation, with
/// the problem naming the field or parameter; and the same valid review from a therapist (403).
/// </summary>
public static partial class HostileCorpus
{
    private const string ReviewPath = "api/searches/{id}/review";
    private const string ReviewRoute = "POST review as supervisor";
    private const string QueueRoute = "GET reviews as supervisor";

    public static JsonObject ValidReview() => new() { ["outcome"] = "concern", ["note"] = Marker + " discuss at supervision." };

    private static void Reviews(List<HostileCase> cases)
    {
        HostileCase Review(string category, string input, byte[] body, int[] expected, string? field, string? contentType = Json) =>
            new(category, ReviewRoute, input, "POST", ReviewPath, body, contentType, expected, [Marker], CallerKind.Supervisor, Field: field);

        foreach (var (outcome, name) in new[] { ("\"fine\"", "unknown"), ("\"Appropriate\"", "wrong case"), ("\"" + Marker + "\"", "marked"), ("\"\"", "empty"), ("\"concern \"", "trailing space") })
        {
            cases.Add(Review("wrong-type", $"outcome {name}", WithRaw(ValidReview(), "outcome", outcome), BadRequest, "outcome"));
        }
        foreach (var wrong in new[] { "1", "true", "[\"concern\"]", "{}" })
        {
            cases.Add(Review("wrong-type", $"outcome = {wrong}", WithRaw(ValidReview(), "outcome", wrong), BadRequest, "outcome"));
        }
        cases.Add(Review("wrong-type", "note = 42", WithRaw(ValidReview(), "note", "42"), BadRequest, "note"));
        cases.Add(Review("missing", "review without outcome", Serialize(new JsonObject { ["note"] = Marker }), BadRequest, "outcome"));
        cases.Add(Review("missing", "review outcome = null", WithRaw(ValidReview(), "outcome", "null"), BadRequest, "outcome"));
        cases.Add(Review("missing", "review empty object", Utf8("{}"), BadRequest, "outcome"));
        cases.Add(Review("malformed", "review body null", Utf8("null"), BadRequest, "$"));
        cases.Add(Review("truncated", "review cut in half", Serialize(ValidReview())[..20], BadRequest, null));
        var extra = ValidReview();
        extra["reviewer"] = Marker;
        cases.Add(Review("extra", "review has \"reviewer\"", Serialize(extra), BadRequest, null));
        var note = ValidReview();
        note["note"] = Marker + new string('x', ReviewService.MaxNoteLength + 1 - Marker.Length);
        cases.Add(Review("huge", $"review note of {ReviewService.MaxNoteLength + 1} chars", Serialize(note), BadRequest, "note"));
        var padded = Serialize(ValidReview());
        cases.Add(Review("huge", "review body over 64 KiB", [.. padded[..^1], .. Enumerable.Repeat((byte)' ', WelfareAudit.Http.RequestBody.MaxBytes), (byte)'}'], TooLarge, null));
        var control = ValidReview();
        control["note"] = Marker + "\0\u001b[2J";
        cases.Add(Review("control", "review note has NUL and ANSI", Serialize(control), BadRequest, "note"));
        cases.Add(Review("invalid-utf8", "review note has 0xC0 0xAF", WithRaw(ValidReview(), "note", [(byte)'"', .. Utf8(Marker), 0xC0, 0xAF, (byte)'"']), BadRequest, null));
        cases.Add(Review("duplicate-key", "review \"outcome\" twice", Utf8("{\"outcome\":\"concern\",\"outcome\":\"appropriate\"}"), BadRequest, null));
        cases.Add(Review("content-type", "review as text/plain", Serialize(ValidReview()), Unsupported, null, "text/plain"));
        foreach (var (name, segment) in new[] { ("review unknown guid", "5c1d2a8e-3b1f-4c8e-9a0d-2f6b1e4c7d90"), ("review guid without dashes", "5c1d2a8e3b1f4c8e9a0d2f6b1e4c7d90"),
            ("review OData", Uri.EscapeDataString($"{Marker}' or PartitionKey ne '")) })
        {
            cases.Add(new HostileCase("id", ReviewRoute, name, "POST", $"api/searches/{segment}/review", Serialize(ValidReview()), Json, NotFound, [Marker], CallerKind.Supervisor));
        }
        cases.Add(new HostileCase("principal", "POST review as therapist", "therapist reviewing", "POST", ReviewPath, Serialize(ValidReview()), Json, [403], [Marker]));
        cases.Add(new HostileCase("principal", "GET reviews as therapist", "therapist reading the queue", "GET", "api/reviews", null, null, [403], [Marker]));
        cases.Add(new HostileCase("principal", "GET oversight as therapist", "therapist reading oversight", "GET", "api/oversight", null, null, [403], [Marker]));

        (string Query, string Field)[] queue =
        [
            ("pageSize=0", "pageSize"), ("pageSize=101", "pageSize"), ("pageSize=-1", "pageSize"), ("pageSize=1e2", "pageSize"), ("pageSize=" + Marker, "pageSize"),
            ("pageSize=99999999999999999999", "pageSize"), ("pageSize=", "pageSize"), ("pageSize=1&pageSize=2", "pageSize"),
            ("risk=apocalyptic", "risk"), ("risk=High", "risk"), ("risk=2", "risk"), ("risk=" + Marker, "risk"),
            ("overdue=yes", "overdue"), ("overdue=1", "overdue"),
            ("therapist=" + Uri.EscapeDataString($"{Marker}' or PartitionKey ne '"), "therapist"), ("therapist=" + Uri.EscapeDataString("../" + Marker), "therapist"),
            ("continuation=" + Marker, "continuation"), ("continuation=" + Uri.EscapeDataString(Marker + "==/+"), "continuation"),
            ("continuation=cjEuMS4y", "continuation"), ("continuation=" + new string('A', 200), "continuation"),
            ("status=all", "status"), ("Risk=high", "Risk"),
        ];
        foreach (var (query, field) in queue)
        {
            cases.Add(new HostileCase("query", QueueRoute, Shorten(query.Replace(Marker, "M", StringComparison.Ordinal)), "GET", "api/reviews?" + query, null, null, BadRequest, [Marker],
                CallerKind.Supervisor, Field: field));
        }
        cases.Add(new HostileCase("query", "GET oversight as supervisor", "unknown parameter", "GET", "api/oversight?therapist=x", null, null, BadRequest, [Marker],
            CallerKind.Supervisor, Field: "therapist"));
    }
}

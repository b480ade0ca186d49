using System.Text;
using System.Text.Json.Nodes;
using WelfareAudit.Core.Witness;

namespace WelfareAudit.LocalHost.Tests.Hostile;

/// <summary>
/// The corpus rows of <c>POST /api/ledger/cosignatures</c> (a supervisor's upload): each derived from a
/// well-signed cosignature file by one mutation of its shape, so each is refused (400, 413, 415) before any
/// ledger is read. The unmutated file cosigns a head the ledger does not have: the API's 409 for that, and
/// the bad values (a signature, key or origin that does not check), are in <c>WitnessApiTests</c>.
/// </summary>
public static class CosignatureCorpus
{
    private const string Route = "POST cosignatures";
    private const string Path = "api/ledger/cosignatures";
    private static readonly string Marker = HostileCorpus.Marker;

    public static JsonObject Valid()
    {
        var key = WitnessSigningKey.FromSeed(Marker + ".example/witness", Enumerable.Repeat((byte)9, 32).ToArray());
        var note = new CheckpointNote(WitnessOrigin.For(Marker + ".example", HostileCorpus.TherapistId), 1, new byte[32], new string('0', 64));
        var line = Cosignature.Sign(key, note.Body, 1764633600).ToLine();
        return new JsonObject
        {
            ["format"] = CosignatureFile.FormatName,
            ["version"] = CosignatureFile.CurrentVersion,
            ["witness"] = key.Public.ToText(),
            ["cosignatures"] = new JsonArray(new JsonObject
            {
                ["ledgerId"] = HostileCorpus.TherapistId,
                ["origin"] = note.Origin,
                ["treeSize"] = 1,
                ["rootHash"] = note.RootBase64,
                ["headHash"] = note.HeadHash,
                ["signature"] = line[(line.LastIndexOf(' ') + 1)..^1],
            }),
        };
    }

    public static void Add(List<HostileCase> cases)
    {
        void Row(string category, string input, byte[] body, int status = 400, string? field = null, string contentType = HostileCorpus.Json) =>
            cases.Add(new HostileCase(category, Route, input, "POST", Path, body, contentType, [status], [Marker], CallerKind.Supervisor, Field: field));
        static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

        foreach (var broken in new[] { "{", "[]", "null", "\"" + Marker + "\"", "{\"format\":}" })
        {
            Row("malformed", $"body {broken.Replace(Marker, "M", StringComparison.Ordinal)}", Encoding.UTF8.GetBytes(broken));
        }
        var valid = Bytes(Valid());
        foreach (var offset in Enumerable.Range(1, 5).Select(k => valid.Length * k / 6))
        {
            Row("truncated", $"at {offset} of {valid.Length}", valid[..offset]);
        }
        (string Path, JsonNode? Value, string Field)[] wrongTypes =
        [
            ("format", 1, "format"), ("version", "1", "version"), ("version", 1.5, "version"), ("witness", 42, "witness"),
            ("cosignatures", new JsonObject(), "cosignatures"), ("cosignatures", Marker, "cosignatures"),
        ];
        foreach (var (path, value, field) in wrongTypes)
        {
            var body = Valid();
            body[path] = value;
            Row("wrong-type", $"{path} = {value?.ToJsonString().Replace(Marker, "M", StringComparison.Ordinal)}", Bytes(body), field: field);
        }
        foreach (var (member, value) in new (string, JsonNode?)[] { ("treeSize", "1"), ("ledgerId", 7), ("signature", new JsonArray()) })
        {
            var body = Valid();
            body["cosignatures"]![0]![member] = value;
            Row("wrong-type", $"cosignatures[0].{member} = {value?.ToJsonString()}", Bytes(body), field: $"cosignatures[0].{member}");
        }
        foreach (var member in new[] { "format", "version", "witness", "cosignatures" })
        {
            var body = Valid();
            body.Remove(member);
            Row("missing", $"cosignature file without {member}", Bytes(body), field: member);
        }
        foreach (var member in new[] { "origin", "treeSize", "rootHash", "headHash", "signature" })
        {
            var body = Valid();
            body["cosignatures"]![0]!.AsObject().Remove(member);
            Row("missing", $"cosignature without {member}", Bytes(body), field: $"cosignatures[0].{member}");
        }
        var empty = Valid();
        empty["cosignatures"] = new JsonArray();
        Row("missing", "no cosignature", Bytes(empty), field: "cosignatures");
        var extra = Valid();
        extra["sequence"] = 5;
        Row("extra", "cosignature file has \"sequence\"", Bytes(extra));
        var extraInner = Valid();
        extraInner["cosignatures"]![0]![Marker + "Extra"] = Marker;
        Row("extra", "cosignature has a marked unknown member", Bytes(extraInner));
        var many = Valid();
        many["cosignatures"] = new JsonArray([.. Enumerable.Range(0, CosignatureFile.MaxCosignatures + 1).Select(_ => (JsonNode)Valid()["cosignatures"]![0]!.DeepClone())]);
        Row("huge", $"{CosignatureFile.MaxCosignatures + 1} cosignatures", Bytes(many), field: "cosignatures");
        var huge = Valid();
        huge["witness"] = Marker + new string('x', WelfareAudit.Http.RequestBody.MaxBytes);
        Row("huge", "cosignature file over 64 KiB", Bytes(huge), status: 413);
        Row("content-type", "cosignature file as text/plain", valid, status: 415, contentType: "text/plain");
        var duplicate = Encoding.UTF8.GetBytes(Valid().ToJsonString().Replace("{\"format\":", "{\"format\":\"x\",\"format\":", StringComparison.Ordinal));
        Row("duplicate-key", "cosignature file repeats format", duplicate);
    }
}

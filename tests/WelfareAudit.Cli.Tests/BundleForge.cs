using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// Writes a whole bundle from scratch, signed with a key of its own: what someone who wants to fool a board
/// that verifies without <c>--public-key</c> can make. The bundle is self-consistent (it verifies), so hostile
/// text in it reaches every place the CLI prints. No storage needed: the verifier's stages can be tested on it.
/// </summary>
public sealed class BundleForge : IDisposable
{
    private static readonly byte[] Salt = Enumerable.Repeat((byte)7, FieldCommitment.SaltSize).ToArray();
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public ECDsa Key { get; init; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string KeyId { get; init; } = "forged-key";

    public string LedgerId { get; init; } = "ledger-1";

    public string GeneratedBy { get; init; } = "supervisor";

    /// <summary>Events of the one ledger, from sequence 1: type, clear fields, disclosed values, withheld field names.</summary>
    public List<ForgedEvent> Events { get; } =
    [
        new("SearchLogged", new() { ["searchId"] = "3f2504e0-4f89-41d3-9a0c-0305e82c3301" }, new() { ["justification"] = "No answer since." }, []),
        new("DiscussedWithClient", new() { ["searchId"] = "3f2504e0-4f89-41d3-9a0c-0305e82c3301" }, new() { ["note"] = "We talked." }, []),
    ];

    /// <summary>The manifest's range starts here (events before it are out of range, and withhold every field).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Hostile: events out of range disclose their fields anyway.</summary>
    public bool DiscloseOutOfRange { get; init; }

    public static DateTimeOffset RecordedAt(long sequence) => Start.AddMinutes(sequence);

    /// <summary>When the export was made and its checkpoint signed (default: a day after the first event).</summary>
    public DateTimeOffset? SignedAt { get; init; }

    /// <summary>Replaces the end line with the server's error line carrying this detail.</summary>
    public string? ErrorDetail { get; init; }

    public string PublicKeyPem => Key.ExportSubjectPublicKeyInfoPem();

    public List<string> Lines()
    {
        var events = new List<JsonObject>();
        var previous = ChainHash.ToHex(ChainHash.Genesis);
        long sequence = 0, inRangeCount = 0;
        foreach (var e in Events)
        {
            var header = new EventHeader(LedgerId, ++sequence, e.Type, RecordedAt(sequence), "actor-1");
            var inRange = From is null || header.RecordedAt >= From;
            var disclosed = inRange || DiscloseOutOfRange ? e.Disclosed : new Dictionary<string, string>();
            string[] withheld = [.. e.Withheld, .. e.Disclosed.Keys.Except(disclosed.Keys)];
            var commitments = e.Disclosed.ToDictionary(d => d.Key, d => FieldCommitment.Compute(d.Key, Salt, d.Value), StringComparer.Ordinal);
            foreach (var name in e.Withheld)
            {
                commitments[name] = SHA256.HashData(Encoding.UTF8.GetBytes(name));
            }
            var hash = ChainHash.ToHex(ChainHash.Next(Convert.FromHexString(previous), CanonicalEvent.Encode(header, e.Clear, commitments)));
            inRangeCount += inRange ? 1 : 0;
            events.Add(new JsonObject
            {
                ["kind"] = "event", ["ledgerId"] = LedgerId, ["sequence"] = sequence, ["type"] = e.Type,
                ["recordedAt"] = Timestamps.ToText(header.RecordedAt), ["actor"] = header.Actor, ["inRange"] = inRange,
                ["clear"] = Map(e.Clear, v => JsonValue.Create(v)),
                ["disclosed"] = Map(disclosed, v => new JsonObject { ["value"] = v, ["salt"] = Convert.ToBase64String(Salt) }),
                ["withheld"] = Map(withheld.ToDictionary(n => n, n => commitments[n]), c => new JsonObject { ["commitment"] = Convert.ToBase64String(c) }),
                ["prevHash"] = previous, ["hash"] = hash,
            });
            previous = hash;
        }

        var signedAt = SignedAt ?? Start.AddDays(1);
        var manifest = new JsonObject
        {
            ["kind"] = "manifest", ["format"] = BundleFormat.Name, ["version"] = BundleFormat.Version, ["exportId"] = "export-1",
            ["generatedAt"] = Timestamps.ToText(signedAt), ["generatedBy"] = GeneratedBy,
            ["range"] = new JsonObject { ["from"] = From is null ? null : Timestamps.ToText(From.Value), ["until"] = null }, ["withheld"] = new JsonArray(), ["manifestKeyId"] = KeyId,
            ["signingKeys"] = new JsonArray(new JsonObject { ["keyId"] = KeyId, ["publicKey"] = PublicKeyPem }),
            ["ledgers"] = new JsonArray(new JsonObject
            {
                ["ledgerId"] = LedgerId, ["firstSequence"] = 1, ["lastSequence"] = sequence, ["anchor"] = "genesis", ["events"] = sequence, ["inRange"] = inRangeCount,
                ["checkpoint"] = new JsonObject
                {
                    ["sequence"] = sequence + 1, ["upToSequence"] = sequence, ["headHash"] = previous, ["signedAt"] = Timestamps.ToText(signedAt), ["keyId"] = KeyId,
                    ["signature"] = BundleTampering.Sign(Key, CheckpointStatement.Encode(LedgerId, sequence, previous, signedAt)),
                },
            }),
            ["counts"] = new JsonObject { ["ledgers"] = 1, ["events"] = sequence, ["inRange"] = inRangeCount },
        }.ToJsonString();
        var signature = new JsonObject
        {
            ["kind"] = "manifestSignature", ["keyId"] = KeyId,
            ["signature"] = BundleTampering.Sign(Key, CheckpointStatement.EncodeManifest(Encoding.UTF8.GetBytes(manifest))),
        };
        JsonObject last = ErrorDetail is null
            ? new() { ["kind"] = "end", ["ledgers"] = 1, ["events"] = sequence }
            : new() { ["kind"] = "error", ["ledgerId"] = LedgerId, ["sequence"] = sequence, ["detail"] = ErrorDetail };
        return [manifest, signature.ToJsonString(), .. events.Select(e => e.ToJsonString()), last.ToJsonString()];
    }

    public string WriteTo(string folder, string name = "forged.jsonl")
    {
        var path = Path.Combine(folder, name);
        BundleTampering.Save(path, Lines());
        return path;
    }

    public Stream ToStream() => new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', Lines()) + "\n"));

    public void Dispose() => Key.Dispose();

    private static JsonObject Map<T>(IReadOnlyDictionary<string, T> values, Func<T, JsonNode?> node)
    {
        var map = new JsonObject();
        foreach (var (name, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            map[name] = node(value);
        }
        return map;
    }
}

public sealed record ForgedEvent(string Type, Dictionary<string, string> Clear, Dictionary<string, string> Disclosed, string[] Withheld);

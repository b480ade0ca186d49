using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using WelfareAudit.Core.Audit;

namespace WelfareAudit.Cli.Tests;

/// <summary>Ways to alter a bundle file, each as someone holding the file (but not the private key) could.</summary>
public static class BundleTampering
{
    public static List<string> Lines(string path) => [.. File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    public static void Save(string path, IEnumerable<string> lines) => File.WriteAllText(path, string.Join('\n', lines) + "\n");

    public static int IndexOfEvent(List<string> lines, long sequence, string? ledgerId = null) => lines.FindIndex(l =>
    {
        var n = JsonNode.Parse(l)!;
        return (string?)n["kind"] == "event" && (long)n["sequence"]! == sequence && (ledgerId is null || (string?)n["ledgerId"] == ledgerId);
    });

    public static void EditEvent(string path, long sequence, Action<JsonObject> edit)
    {
        var lines = Lines(path);
        var i = IndexOfEvent(lines, sequence);
        var node = JsonNode.Parse(lines[i])!.AsObject();
        edit(node);
        lines[i] = node.ToJsonString();
        Save(path, lines);
    }

    public static void EditManifest(string path, Action<JsonObject> edit, ECDsa? resignWith = null, string? keyId = null)
    {
        var lines = Lines(path);
        var manifest = JsonNode.Parse(lines[0])!.AsObject();
        edit(manifest);
        lines[0] = manifest.ToJsonString();
        if (resignWith is not null)
        {
            var signature = JsonNode.Parse(lines[1])!.AsObject();
            signature["keyId"] = keyId ?? (string?)manifest["manifestKeyId"];
            signature["signature"] = Sign(resignWith, CheckpointStatement.EncodeManifest(Encoding.UTF8.GetBytes(lines[0])));
            lines[1] = signature.ToJsonString();
        }
        Save(path, lines);
    }

    public static string Sign(ECDsa key, byte[] statement) =>
        Convert.ToBase64String(key.SignData(statement, CheckpointStatement.Hash, CheckpointStatement.SignatureFormat));

    /// <summary>Replaces the practice's key with <paramref name="other"/>: carried key, checkpoints and manifest all re-signed.</summary>
    public static void ResignWithAnotherKey(string path, ECDsa other)
    {
        const string keyId = "forged";
        EditManifest(path, m =>
        {
            m["manifestKeyId"] = keyId;
            m["signingKeys"] = new JsonArray(new JsonObject { ["keyId"] = keyId, ["publicKey"] = other.ExportSubjectPublicKeyInfoPem() });
            foreach (var ledger in m["ledgers"]!.AsArray())
            {
                var c = ledger!["checkpoint"]!.AsObject();
                c["keyId"] = keyId;
                var statement = CheckpointStatement.Encode((string)ledger["ledgerId"]!, (long)c["upToSequence"]!, (string)c["headHash"]!,
                    WelfareAudit.Core.Ledger.Timestamps.Parse((string)c["signedAt"]!));
                c["signature"] = Sign(other, statement);
            }
        }, other, keyId);
    }
}

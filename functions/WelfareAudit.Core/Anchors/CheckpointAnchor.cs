using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Anchors;

/// <summary>
/// An anchored checkpoint: the content of one blob in the WORM <c>checkpoints</c> container
/// (docs/ledger-format.md §14.2). Exactly one line of JSON, members in this order, no spaces, <c>\n</c> at the end:
/// <code>{"format":"welfare-audit-anchor","version":1,"ledgerId":…,"upToSequence":…,"headHash":…,"signedAt":…,"signingKeyId":…,"signature":…}\n</code>
/// Every string is printable ASCII without <c>"</c> or <c>\</c>, so it is written as it is (no escapes). The signature
/// is the checkpoint's own (<see cref="CheckpointStatement"/> over ledger id, sequence, head hash, signedAt).
/// </summary>
public sealed record CheckpointAnchor(string LedgerId, long UpToSequence, string HeadHash, DateTimeOffset SignedAt, string SigningKeyId, string Signature)
{
    public const string Format = "welfare-audit-anchor";
    public const int Version = 1;

    /// <summary>The largest blob a reader accepts (a real anchor is well under 1 KiB).</summary>
    public const int MaxBytes = 4096;

    private static readonly string[] Members = ["format", "version", "ledgerId", "upToSequence", "headHash", "signedAt", "signingKeyId", "signature"];

    public AnchorName Name => new(LedgerId, UpToSequence, HeadHash);

    public static CheckpointAnchor From(string ledgerId, Checkpoint checkpoint) =>
        new(ledgerId, checkpoint.UpToSequence, checkpoint.HeadHash, checkpoint.SignedAt, checkpoint.SigningKeyId, checkpoint.Signature);

    /// <summary>The anchor of a <c>Checkpoint</c> event read from the chain's clear fields; null for another event or a malformed one.</summary>
    public static CheckpointAnchor? FromEvent(AuditEventRecord e)
    {
        if (e.Header.Type != EventTypes.Checkpoint ||
            !e.Clear.TryGetValue("upToSequence", out var upToText) || !long.TryParse(upToText, NumberStyles.None, CultureInfo.InvariantCulture, out var upTo) || upTo < 1 ||
            !e.Clear.TryGetValue("headHash", out var headHash) || !e.Clear.TryGetValue("signedAt", out var signedAtText) || !Timestamps.TryParse(signedAtText, out var signedAt) ||
            !e.Clear.TryGetValue("signingKeyId", out var keyId) || !e.Clear.TryGetValue("signature", out var signature))
        {
            return null;
        }
        return new CheckpointAnchor(e.Header.LedgerId, upTo, headHash, signedAt, keyId, signature);
    }

    public byte[] ToBytes()
    {
        foreach (var (name, value) in new[] { ("ledgerId", LedgerId), ("headHash", HeadHash), ("signingKeyId", SigningKeyId), ("signature", Signature) })
        {
            if (!IsPlain(value))
            {
                throw new ArgumentException($"The anchor's {name} is not printable ASCII without quote or backslash.");
            }
        }
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{{\"format\":\"{Format}\",\"version\":{Version},\"ledgerId\":\"{LedgerId}\",\"upToSequence\":{UpToSequence},\"headHash\":\"{HeadHash}\"," +
            $"\"signedAt\":\"{Timestamps.ToText(SignedAt)}\",\"signingKeyId\":\"{SigningKeyId}\",\"signature\":\"{Signature}\"}}\n");
        return Encoding.ASCII.GetBytes(text);
    }

    /// <summary>
    /// Reads a blob strictly: valid JSON with exactly the members above, whose canonical bytes
    /// (<see cref="ToBytes"/>) are exactly the blob's. Null, with the reason, for anything else.
    /// </summary>
    public static CheckpointAnchor? TryParse(ReadOnlySpan<byte> content, out string error)
    {
        error = "";
        if (content.Length is 0 or > MaxBytes)
        {
            error = "The blob is empty or larger than an anchor can be.";
            return null;
        }
        try
        {
            using var json = JsonDocument.Parse(content.ToArray());
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.EnumerateObject().Select(p => p.Name).SequenceEqual(Members) is false)
            {
                error = "The blob is not an anchor object with exactly the members format, version, ledgerId, upToSequence, headHash, signedAt, signingKeyId, signature.";
                return null;
            }
            if (root.GetProperty("format").GetString() != Format || !root.GetProperty("version").TryGetInt32(out var version) || version != Version)
            {
                error = "The blob names another format or version.";
                return null;
            }
            if (!Timestamps.TryParse(root.GetProperty("signedAt").GetString(), out var signedAt) ||
                root.GetProperty("upToSequence").ValueKind != JsonValueKind.Number || !root.GetProperty("upToSequence").TryGetInt64(out var upTo) || upTo < 1)
            {
                error = "The blob's signedAt or upToSequence is not valid.";
                return null;
            }
            var anchor = new CheckpointAnchor(
                root.GetProperty("ledgerId").GetString() ?? "", upTo, root.GetProperty("headHash").GetString() ?? "", signedAt,
                root.GetProperty("signingKeyId").GetString() ?? "", root.GetProperty("signature").GetString() ?? "");
            if (!LedgerIds.IsValid(anchor.LedgerId) || !AnchorName.TryParse(anchor.Name.BlobName, out _))
            {
                error = "The blob's ledgerId or headHash is not valid.";
                return null;
            }
            if (!content.SequenceEqual(anchor.ToBytes()))
            {
                error = "The blob is not in the anchor's one canonical form.";
                return null;
            }
            return anchor;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            error = "The blob is not an anchor: " + e.GetType().Name + ".";
            return null;
        }
    }

    /// <summary>Whether the checkpoint signature verifies under <paramref name="publicKey"/>.</summary>
    public bool SignatureVerifies(ECDsa publicKey) =>
        CheckpointStatement.Verify(publicKey, CheckpointStatement.Encode(LedgerId, UpToSequence, HeadHash, SignedAt), Signature);

    private static bool IsPlain(string value) => value.Length > 0 && value.All(c => c is >= ' ' and <= '~' and not '"' and not '\\');
}

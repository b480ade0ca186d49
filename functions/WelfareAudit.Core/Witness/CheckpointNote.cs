using System.Globalization;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// A ledger's head as a C2SP tlog-checkpoint note body (docs/ledger-format.md §15.2):
/// <code>
/// {origin}\n
/// {tree size: the ledger's last sequence, decimal}\n
/// {base64 RFC 6962 root over the event hashes 1..size}\n
/// chain-head {64 hex: the chain hash of event `size`}\n
/// </code>
/// The fourth line is a tlog-checkpoint extension line; cosignature/v1 signs it too.
/// </summary>
public sealed record CheckpointNote(string Origin, long TreeSize, byte[] RootHash, string HeadHash)
{
    public const string HeadLinePrefix = "chain-head ";

    public string Body =>
        $"{Origin}\n{TreeSize.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(RootHash)}\n{HeadLinePrefix}{HeadHash}\n";

    public string RootBase64 => Convert.ToBase64String(RootHash);

    /// <summary>Reads a body this format writes, strictly (exactly these four lines); null when it is not one.</summary>
    public static CheckpointNote? TryParse(string body)
    {
        var lines = body.EndsWith('\n') ? body[..^1].Split('\n') : [];
        if (lines.Length != 4 || !WitnessOrigin.IsValid(lines[0])
            || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1
            || size.ToString(CultureInfo.InvariantCulture) != lines[1]
            || !lines[3].StartsWith(HeadLinePrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var root = NoteBase64.TryDecode(lines[2]);
        var head = lines[3][HeadLinePrefix.Length..];
        if (root is not { Length: MerkleTree.HashSize } || Convert.ToBase64String(root) != lines[2] || !IsHash(head))
        {
            return null;
        }
        return new CheckpointNote(lines[0], size, root, head);
    }

    public static bool IsHash(string text) => text.Length == 2 * ChainHash.Size && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}

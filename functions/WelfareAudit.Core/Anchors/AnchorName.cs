using System.Globalization;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Anchors;

/// <summary>
/// The name of an anchored checkpoint's blob (docs/ledger-format.md §14.1):
/// <c>{segment}/{upToSequence as 20 decimal digits}-{headHash}.json</c>, where the segment is the ledger id, with
/// a <c>~</c> appended when the id ends in <c>.</c> (so that no segment is <c>.</c> or <c>..</c> or ends in a dot;
/// <c>~</c> never occurs in a ledger id, so the mapping is one-to-one). A ledger's anchors share the prefix
/// <c>{segment}/</c> and list in sequence order; the name carries the signed fact, so a second write of the same
/// name can only repeat it, and a different head at the same sequence gets a different name.
/// </summary>
public sealed record AnchorName(string LedgerId, long Sequence, string HeadHash)
{
    public const int SequenceDigits = 20;
    public const string Extension = ".json";

    public string BlobName => Prefix(LedgerId) + Sequence.ToString("D" + SequenceDigits, CultureInfo.InvariantCulture) + "-" + HeadHash + Extension;

    public override string ToString() => BlobName;

    /// <summary>The listing prefix of one ledger's anchors, ending in <c>/</c>.</summary>
    public static string Prefix(string ledgerId)
    {
        if (!LedgerIds.IsValid(ledgerId))
        {
            throw new ArgumentException("Not a ledger id.", nameof(ledgerId));
        }
        return ledgerId + (ledgerId.EndsWith('.') ? "~/" : "/");
    }

    /// <summary>Reads a blob name strictly: anything not written by <see cref="BlobName"/> is refused.</summary>
    public static bool TryParse(string? name, out AnchorName anchor)
    {
        anchor = null!;
        if (name is null)
        {
            return false;
        }
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }
        var segment = name[..slash];
        var ledgerId = segment.EndsWith('~') ? segment[..^1] : segment;
        if (!LedgerIds.IsValid(ledgerId) || segment != Prefix(ledgerId)[..^1])
        {
            return false;
        }
        var rest = name.AsSpan(slash + 1);
        if (rest.Length != SequenceDigits + 1 + 2 * ChainHash.Size + Extension.Length || rest[SequenceDigits] != '-' || !rest.EndsWith(Extension))
        {
            return false;
        }
        var digits = rest[..SequenceDigits];
        var hash = rest.Slice(SequenceDigits + 1, 2 * ChainHash.Size);
        if (digits.ContainsAnyExceptInRange('0', '9') || !IsLowerHex(hash) ||
            !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1)
        {
            return false;
        }
        anchor = new AnchorName(ledgerId, sequence, hash.ToString());
        return true;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }
        return true;
    }
}

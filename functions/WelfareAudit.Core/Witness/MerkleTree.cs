using System.Security.Cryptography;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// The RFC 6962 (section 2.1) Merkle tree hash, as C2SP tlog-checkpoint requires of a checkpoint's root:
/// a leaf is <c>SHA-256(0x00 ‖ data)</c>, an inner node <c>SHA-256(0x01 ‖ left ‖ right)</c>, the empty tree
/// <c>SHA-256("")</c>, and a tree of n &gt; 1 leaves splits at the largest power of two below n.
/// </summary>
public static class MerkleTree
{
    public const int HashSize = 32;

    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    public static byte[] LeafHash(ReadOnlySpan<byte> data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x00]);
        sha.AppendData(data);
        return sha.GetHashAndReset();
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x01]);
        sha.AppendData(left);
        sha.AppendData(right);
        return sha.GetHashAndReset();
    }

    /// <summary>The root over the given leaves (each leaf's data, not its leaf hash).</summary>
    public static byte[] Root(IEnumerable<byte[]> leaves)
    {
        var builder = new MerkleTreeBuilder();
        foreach (var leaf in leaves)
        {
            builder.Append(leaf);
        }
        return builder.Root();
    }
}

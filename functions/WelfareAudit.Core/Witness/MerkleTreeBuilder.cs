namespace WelfareAudit.Core.Witness;

/// <summary>
/// Builds the RFC 6962 root leaf by leaf with O(log n) memory (a "compact range": the roots of the perfect
/// subtrees that make up the first n leaves, largest first), so a bundle of any size is read once and the
/// root at any size along the way is available.
/// </summary>
public sealed class MerkleTreeBuilder
{
    private readonly List<(byte[] Hash, long Size)> _stack = [];

    public long Size { get; private set; }

    public void Append(ReadOnlySpan<byte> leafData)
    {
        var hash = MerkleTree.LeafHash(leafData);
        long size = 1;
        while (_stack.Count > 0 && _stack[^1].Size == size)
        {
            hash = MerkleTree.NodeHash(_stack[^1].Hash, hash);
            size *= 2;
            _stack.RemoveAt(_stack.Count - 1);
        }
        _stack.Add((hash, size));
        Size++;
    }

    /// <summary>The root of the leaves appended so far (RFC 6962 MTH): the subtrees folded from the right.</summary>
    public byte[] Root()
    {
        if (_stack.Count == 0)
        {
            return MerkleTree.EmptyRoot();
        }
        var hash = _stack[^1].Hash;
        for (var i = _stack.Count - 2; i >= 0; i--)
        {
            hash = MerkleTree.NodeHash(_stack[i].Hash, hash);
        }
        return hash;
    }
}

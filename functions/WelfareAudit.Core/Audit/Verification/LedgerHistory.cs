using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>
/// What one export shows of one ledger's chain: the hash at every sequence from <c>First − 1</c> (the previous hash
/// of its first event: the genesis when the part starts at 1, a signed head when it starts at a checkpoint) up to
/// <see cref="Last"/>, its signed head. It is what the <c>--extends</c> rule (<see cref="ExtendsRule"/>) compares.
/// A trusted head alone (a witness's last cosigned checkpoint) is a history too: <see cref="HeadOnly"/>.
/// Hashes are kept as raw bytes, 32 per sequence.
/// </summary>
public sealed class LedgerHistory
{
    private readonly byte[] _hashes;

    private LedgerHistory(string ledgerId, long first, byte[] hashes, long? checkpointSequence)
    {
        if (first < 1 || hashes.Length == 0 || hashes.Length % ChainHash.Size != 0)
        {
            throw new ArgumentException("A history holds the hash before its first event and one hash per event.", nameof(hashes));
        }
        LedgerId = ledgerId;
        First = first;
        _hashes = hashes;
        CheckpointSequence = checkpointSequence;
    }

    public string LedgerId { get; }

    /// <summary>The first event the export shows (<see cref="Last"/> + 1 when it shows none, as <see cref="HeadOnly"/>).</summary>
    public long First { get; }

    /// <summary>The signed head: the last sequence the export's checkpoint covers.</summary>
    public long Last => First - 2 + (_hashes.Length / ChainHash.Size);

    /// <summary>Where the export recorded its own checkpoint over <see cref="Last"/> (manifest <c>checkpoint.sequence</c>), when known.</summary>
    public long? CheckpointSequence { get; }

    /// <summary>The hash at the signed head.</summary>
    public string HeadHash => HashAt(Last)!;

    /// <summary>Whether the export shows the hash at <paramref name="sequence"/> (<see cref="First"/> − 1 to <see cref="Last"/>).</summary>
    public bool Holds(long sequence) => sequence >= First - 1 && sequence <= Last;

    /// <summary>The hash at <paramref name="sequence"/> in lower-case hex, or null when the export does not show it.</summary>
    public string? HashAt(long sequence) => Holds(sequence) ? Convert.ToHexStringLower(Bytes(sequence)) : null;

    internal ReadOnlySpan<byte> Bytes(long sequence) => _hashes.AsSpan(checked((int)(sequence - First + 1) * ChainHash.Size), ChainHash.Size);

    /// <summary>
    /// A history from hex hashes: <paramref name="hashes"/>[0] is the hash at <paramref name="first"/> − 1 (the previous
    /// hash of the first event), then one per event from <paramref name="first"/> on.
    /// </summary>
    public static LedgerHistory Create(string ledgerId, long first, IReadOnlyList<string> hashes, long? checkpointSequence = null)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var bytes = new byte[hashes.Count * ChainHash.Size];
        for (var i = 0; i < hashes.Count; i++)
        {
            var hash = Convert.FromHexString(hashes[i]);
            if (hash.Length != ChainHash.Size)
            {
                throw new ArgumentException("A hash is 32 bytes of hex.", nameof(hashes));
            }
            hash.CopyTo(bytes, i * ChainHash.Size);
        }
        return new LedgerHistory(ledgerId, first, bytes, checkpointSequence);
    }

    /// <summary>Only a trusted head (for example the last checkpoint a witness cosigned): sequence and hash.</summary>
    public static LedgerHistory HeadOnly(string ledgerId, long sequence, string headHash, long? checkpointSequence = null) =>
        Create(ledgerId, sequence + 1, [headHash], checkpointSequence);

    /// <summary>Built from raw hashes as a bundle is read (<see cref="BundleHistories"/>).</summary>
    internal static LedgerHistory FromBytes(string ledgerId, long first, byte[] hashes, long? checkpointSequence) =>
        new(ledgerId, first, hashes, checkpointSequence);
}

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>What <see cref="SearchRowCheck"/> holds of one stored search row: its sequences, a digest of its state, how far its events were folded, a digest of its listing copies.</summary>
internal readonly record struct StoredSearch(long LoggedSequence, long LastSequence, UInt128 Digest, byte Seen, UInt128? Copies = null)
{
    public const byte NotSeen = 0;
    public const byte Open = 1;
    public const byte Compared = 2;
}

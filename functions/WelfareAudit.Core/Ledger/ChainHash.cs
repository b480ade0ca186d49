using System.Security.Cryptography;

namespace WelfareAudit.Core.Ledger;

/// <summary>The hash chain: <c>hash(n) = SHA-256(hash(n-1) | canonical(n))</c>, with 32 zero bytes before the first event.</summary>
public static class ChainHash
{
    public const int Size = 32;

    public static ReadOnlySpan<byte> Genesis => new byte[Size];

    public static byte[] Next(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> canonical)
    {
        if (previous.Length != Size)
        {
            throw new ArgumentException("A chain hash is 32 bytes.", nameof(previous));
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previous);
        sha.AppendData(canonical);
        return sha.GetHashAndReset();
    }

    public static string ToHex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);
}

using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WelfareAudit.Core.Ledger;

/// <summary>
/// A salted commitment to one sensitive field:
/// <c>SHA-256("WACM" | u8 1 | str name | 32-byte salt | str value)</c>.
/// The chain hashes the commitment, not the value, so an export can withhold a value (showing the
/// commitment) or disclose it with its salt, and the chain verifies either way. The 32 random bytes of
/// salt make a withheld value impossible to guess from its commitment.
/// </summary>
public static class FieldCommitment
{
    public const int Size = 32;
    public const int SaltSize = 32;

    private static readonly byte[] Magic = "WACM"u8.ToArray();

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(SaltSize);

    public static byte[] Compute(string name, ReadOnlySpan<byte> salt, string value)
    {
        if (salt.Length != SaltSize)
        {
            throw new ArgumentException("The salt is 32 bytes.", nameof(salt));
        }
        var nameBytes = CanonicalEvent.StrictUtf8.GetBytes(name);
        var valueBytes = CanonicalEvent.StrictUtf8.GetBytes(value);
        var input = new byte[Magic.Length + 1 + 4 + nameBytes.Length + SaltSize + 4 + valueBytes.Length];
        var span = input.AsSpan();
        Magic.CopyTo(span);
        span[4] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(span[5..], (uint)nameBytes.Length);
        nameBytes.CopyTo(span[9..]);
        var offset = 9 + nameBytes.Length;
        salt.CopyTo(span[offset..]);
        offset += SaltSize;
        BinaryPrimitives.WriteUInt32BigEndian(span[offset..], (uint)valueBytes.Length);
        valueBytes.CopyTo(span[(offset + 4)..]);
        return SHA256.HashData(input);
    }
}

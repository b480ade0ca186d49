using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace WelfareAudit.Infrastructure.Crypto;

/// <summary>
/// The versioned envelope of one encrypted field (AES-256-GCM, 12-byte random nonce, 16-byte tag):
/// <code>u8 version=1 | u8 keyIdLength | keyId (ASCII) | nonce (12) | ciphertext | tag (16)</code>
/// The associated data binds the ciphertext to its ledger, sequence, field and key id (see
/// <see cref="AssociatedData"/>), so a ciphertext copied into another row or field fails to open.
/// </summary>
public static class FieldEnvelope
{
    public const byte FormatVersion = 1;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int KeySize = 32;

    public static byte[] Seal(KeyMaterial key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData) =>
        Seal(key, plaintext, associatedData, RandomNumberGenerator.GetBytes(NonceSize));

    /// <summary>Seals with a given nonce. Only tests call this (known-answer vectors); product code uses a random nonce.</summary>
    internal static byte[] Seal(KeyMaterial key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> nonce)
    {
        CheckKey(key);
        using var aes = new AesGcm(key.Bytes, TagSize);
        return Seal(key, aes, plaintext, associatedData, nonce);
    }

    /// <summary>
    /// Seals with <paramref name="aes"/>, made from <paramref name="key"/> by <see cref="Cipher"/>: the fields of one
    /// event share it (the key schedule once per event, not once per field). Not for concurrent use.
    /// </summary>
    public static byte[] Seal(KeyMaterial key, AesGcm aes, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData) =>
        Seal(key, aes, plaintext, associatedData, RandomNumberGenerator.GetBytes(NonceSize));

    /// <summary>The cipher of <paramref name="key"/>, for <see cref="Seal(KeyMaterial, AesGcm, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>; the caller disposes it.</summary>
    public static AesGcm Cipher(KeyMaterial key)
    {
        CheckKey(key);
        return new AesGcm(key.Bytes, TagSize);
    }

    private static byte[] Seal(KeyMaterial key, AesGcm aes, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> nonce)
    {
        var keyId = Encoding.ASCII.GetBytes(key.KeyId);
        var headerLength = 2 + keyId.Length;
        var envelope = new byte[headerLength + NonceSize + plaintext.Length + TagSize];
        envelope[0] = FormatVersion;
        envelope[1] = (byte)keyId.Length;
        keyId.CopyTo(envelope, 2);
        nonce.CopyTo(envelope.AsSpan(headerLength, NonceSize));
        aes.Encrypt(
            nonce,
            plaintext,
            envelope.AsSpan(headerLength + NonceSize, plaintext.Length),
            envelope.AsSpan(headerLength + NonceSize + plaintext.Length, TagSize),
            associatedData);
        return envelope;
    }

    /// <summary>Reads the key id of an envelope without opening it, to fetch the right key.</summary>
    public static string ReadKeyId(ReadOnlySpan<byte> envelope)
    {
        if (envelope.Length < 2 + 1 + NonceSize + TagSize || envelope[0] != FormatVersion)
        {
            throw new EnvelopeException("Unknown or truncated envelope format.");
        }
        var length = envelope[1];
        if (length == 0 || envelope.Length < 2 + length + NonceSize + TagSize)
        {
            throw new EnvelopeException("Truncated envelope.");
        }
        return Encoding.ASCII.GetString(envelope.Slice(2, length));
    }

    public static byte[] Open(KeyMaterial key, ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> associatedData)
    {
        CheckKey(key);
        var keyId = ReadKeyId(envelope);
        if (!string.Equals(keyId, key.KeyId, StringComparison.Ordinal))
        {
            throw new EnvelopeException("The envelope was sealed with another key.");
        }
        var headerLength = 2 + envelope[1];
        var nonce = envelope.Slice(headerLength, NonceSize);
        var cipherLength = envelope.Length - headerLength - NonceSize - TagSize;
        var plaintext = new byte[cipherLength];
        using var aes = new AesGcm(key.Bytes, TagSize);
        try
        {
            aes.Decrypt(nonce, envelope.Slice(headerLength + NonceSize, cipherLength), envelope[^TagSize..], plaintext, associatedData);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new EnvelopeException("The envelope does not authenticate: altered, or moved from another row or field.", e);
        }
        return plaintext;
    }

    /// <summary>
    /// <c>"WAAD" | u8 1 | str ledgerId | u64 sequence | str field | str keyId</c>, with
    /// str = u32 big-endian byte length + UTF-8 bytes.
    /// </summary>
    public static byte[] AssociatedData(string ledgerId, long sequence, string field, string keyId)
    {
        var (ledger, name, key) = (Encoding.UTF8.GetBytes(ledgerId), Encoding.UTF8.GetBytes(field), Encoding.UTF8.GetBytes(keyId));
        var buffer = new byte[4 + 1 + 4 + ledger.Length + 8 + 4 + name.Length + 4 + key.Length];
        var span = buffer.AsSpan();
        "WAAD"u8.CopyTo(span);
        span[4] = 1;
        var offset = 5;
        offset = WriteString(span, offset, ledger);
        BinaryPrimitives.WriteUInt64BigEndian(span[offset..], checked((ulong)sequence));
        offset += 8;
        offset = WriteString(span, offset, name);
        WriteString(span, offset, key);
        return buffer;
    }

    private static int WriteString(Span<byte> span, int offset, byte[] bytes)
    {
        BinaryPrimitives.WriteUInt32BigEndian(span[offset..], (uint)bytes.Length);
        bytes.CopyTo(span[(offset + 4)..]);
        return offset + 4 + bytes.Length;
    }

    private static void CheckKey(KeyMaterial key)
    {
        if (key.Bytes.Length != KeySize)
        {
            throw new ArgumentException("AES-256 keys are 32 bytes.", nameof(key));
        }
        if (key.KeyId.Length is 0 or > 64 || !key.KeyId.All(c => c is > ' ' and < (char)127))
        {
            throw new ArgumentException("Key ids are 1 to 64 printable ASCII characters.", nameof(key));
        }
    }
}

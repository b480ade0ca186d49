using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace WelfareAudit.Core.Ledger;

/// <summary>
/// The canonical, versioned byte encoding of an event, the input of the hash chain. It is defined
/// byte for byte in docs/ledger-format.md so an independent verifier can be written from the document:
/// <code>
/// "WAEV" | u8 version=1 | str ledgerId | u64 sequence | str type | str recordedAt | str actor
///        | u32 nClear  | (str name | str value)*        ordinal order of name
///        | u32 nCommit | (str name | 32 bytes commitment)* ordinal order of name
/// str = u32 byte length | UTF-8 bytes; integers big-endian.
/// </code>
/// Sensitive values never enter the encoding, only their salted commitments, so the chain can be
/// verified, and parts of it disclosed, without revealing the values.
/// </summary>
public static class CanonicalEvent
{
    public const byte Version = 1;

    private static readonly byte[] Magic = "WAEV"u8.ToArray();

    /// <summary>Strict: ill-formed text (a lone surrogate) throws instead of becoming U+FFFD, so two different strings never encode alike.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Encode(EventHeader header, IReadOnlyDictionary<string, string> clear, IReadOnlyDictionary<string, byte[]> commitments)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(Magic);
        buffer.Write([Version]);
        WriteString(buffer, header.LedgerId);
        WriteUInt64(buffer, checked((ulong)header.Sequence));
        WriteString(buffer, header.Type);
        WriteString(buffer, Timestamps.ToText(header.RecordedAt));
        WriteString(buffer, header.Actor);

        WriteUInt32(buffer, (uint)clear.Count);
        foreach (var (name, value) in clear.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            WriteString(buffer, name);
            WriteString(buffer, value);
        }

        WriteUInt32(buffer, (uint)commitments.Count);
        foreach (var (name, commitment) in commitments.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (commitment.Length != FieldCommitment.Size)
            {
                throw new ArgumentException("A commitment is 32 bytes.", nameof(commitments));
            }
            WriteString(buffer, name);
            buffer.Write(commitment);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteUInt32(ArrayBufferWriter<byte> buffer, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    private static void WriteUInt64(ArrayBufferWriter<byte> buffer, ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    /// <summary><c>str</c>: u32 byte length, then the strict UTF-8 bytes.</summary>
    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        var count = StrictUtf8.GetByteCount(value);
        WriteUInt32(buffer, (uint)count);
        buffer.Advance(StrictUtf8.GetBytes(value, buffer.GetSpan(count)));
    }
}

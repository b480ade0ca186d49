using System.Buffers.Binary;
using System.Text;

namespace WelfareAudit.Core.Ledger;

/// <summary>The clear header of every event.</summary>
public sealed record EventHeader(string LedgerId, long Sequence, string Type, DateTimeOffset RecordedAt, string Actor);

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
        var buffer = new ArrayBufferWriterLite(256);
        buffer.Write(Magic);
        buffer.WriteByte(Version);
        buffer.WriteString(header.LedgerId);
        buffer.WriteUInt64(checked((ulong)header.Sequence));
        buffer.WriteString(header.Type);
        buffer.WriteString(Timestamps.ToText(header.RecordedAt));
        buffer.WriteString(header.Actor);

        buffer.WriteUInt32((uint)clear.Count);
        foreach (var (name, value) in clear.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            buffer.WriteString(name);
            buffer.WriteString(value);
        }

        buffer.WriteUInt32((uint)commitments.Count);
        foreach (var (name, commitment) in commitments.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (commitment.Length != FieldCommitment.Size)
            {
                throw new ArgumentException("A commitment is 32 bytes.", nameof(commitments));
            }
            buffer.WriteString(name);
            buffer.Write(commitment);
        }

        return buffer.ToArray();
    }

    private sealed class ArrayBufferWriterLite(int capacity)
    {
        private byte[] _buffer = new byte[capacity];
        private int _length;

        public void Write(ReadOnlySpan<byte> bytes)
        {
            Ensure(bytes.Length);
            bytes.CopyTo(_buffer.AsSpan(_length));
            _length += bytes.Length;
        }

        public void WriteByte(byte value)
        {
            Ensure(1);
            _buffer[_length++] = value;
        }

        public void WriteUInt32(uint value)
        {
            Ensure(4);
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), value);
            _length += 4;
        }

        public void WriteUInt64(ulong value)
        {
            Ensure(8);
            BinaryPrimitives.WriteUInt64BigEndian(_buffer.AsSpan(_length), value);
            _length += 8;
        }

        public void WriteString(string value)
        {
            var count = StrictUtf8.GetByteCount(value);
            WriteUInt32((uint)count);
            Ensure(count);
            _length += StrictUtf8.GetBytes(value, _buffer.AsSpan(_length));
        }

        public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

        private void Ensure(int more)
        {
            if (_length + more > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
            }
        }
    }
}

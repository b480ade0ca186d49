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
        // Sized first, then written once into an array of exactly that size (no growing buffer, no copy);
        // the dictionaries the ledger builds are sorted already, any other is put in order.
        var recordedAt = Timestamps.ToText(header.RecordedAt);
        var clearFields = Ordered(clear);
        var committedFields = Ordered(commitments);
        var size = Magic.Length + 1 + Size(header.LedgerId) + 8 + Size(header.Type) + Size(recordedAt) + Size(header.Actor) + 4 + 4;
        foreach (var (name, value) in clearFields)
        {
            size += Size(name) + Size(value);
        }
        foreach (var (name, commitment) in committedFields)
        {
            if (commitment.Length != FieldCommitment.Size)
            {
                throw new ArgumentException("A commitment is 32 bytes.", nameof(commitments));
            }
            size += Size(name) + FieldCommitment.Size;
        }

        var bytes = new byte[size];
        var at = 0;
        Magic.CopyTo(bytes, 0);
        at += Magic.Length;
        bytes[at++] = Version;
        WriteString(bytes, ref at, header.LedgerId);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(at), checked((ulong)header.Sequence));
        at += 8;
        WriteString(bytes, ref at, header.Type);
        WriteString(bytes, ref at, recordedAt);
        WriteString(bytes, ref at, header.Actor);

        WriteUInt32(bytes, ref at, (uint)clear.Count);
        foreach (var (name, value) in clearFields)
        {
            WriteString(bytes, ref at, name);
            WriteString(bytes, ref at, value);
        }

        WriteUInt32(bytes, ref at, (uint)commitments.Count);
        foreach (var (name, commitment) in committedFields)
        {
            WriteString(bytes, ref at, name);
            commitment.CopyTo(bytes, at);
            at += commitment.Length;
        }
        return bytes;
    }

    private static IEnumerable<KeyValuePair<string, T>> Ordered<T>(IReadOnlyDictionary<string, T> fields) =>
        fields is SortedDictionary<string, T> sorted && ReferenceEquals(sorted.Comparer, StringComparer.Ordinal)
            ? sorted
            : fields.OrderBy(p => p.Key, StringComparer.Ordinal);

    /// <summary>The encoded size of a <c>str</c>.</summary>
    private static int Size(string value) => 4 + StrictUtf8.GetByteCount(value);

    private static void WriteUInt32(byte[] bytes, ref int at, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), value);
        at += 4;
    }

    /// <summary><c>str</c>: u32 byte length, then the strict UTF-8 bytes.</summary>
    private static void WriteString(byte[] bytes, ref int at, string value)
    {
        var count = StrictUtf8.GetBytes(value, bytes.AsSpan(at + 4));
        WriteUInt32(bytes, ref at, (uint)count);
        at += count;
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// C2SP tlog-cosignature, Ed25519 (cosignature/v1): the signed message is
/// <c>"cosignature/v1\n" ‖ "time " decimal(timestamp) "\n" ‖ the checkpoint's note body</c>, and the note
/// signature is <c>key ID ‖ u64 timestamp (big-endian) ‖ 64-byte Ed25519 signature</c>.
/// </summary>
public static class Cosignature
{
    public const int Size = 8 + Ed25519.SignatureSize;

    public static byte[] Message(string noteBody, long timestamp) =>
        Encoding.UTF8.GetBytes($"cosignature/v1\ntime {timestamp.ToString(CultureInfo.InvariantCulture)}\n{noteBody}");

    public static NoteSignature Sign(WitnessSigningKey key, string noteBody, long timestamp)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        var bytes = new byte[Size];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)timestamp);
        key.Sign(Message(noteBody, timestamp)).CopyTo(bytes, 8);
        return new NoteSignature(key.Name, key.Public.KeyId, bytes);
    }

    /// <summary>The timestamp of a valid cosignature by <paramref name="key"/> over <paramref name="noteBody"/>; null otherwise.</summary>
    public static long? Verify(NoteVerifierKey key, string noteBody, NoteSignature signature)
    {
        if (key.Type != NoteVerifierKey.CosignatureV1Type || signature.Name != key.Name || signature.KeyId != key.KeyId || signature.Signature.Length != Size)
        {
            return null;
        }
        var timestamp = BinaryPrimitives.ReadUInt64BigEndian(signature.Signature);
        if (timestamp > long.MaxValue)
        {
            return null;
        }
        return Ed25519.Verify(key.PublicKey, Message(noteBody, (long)timestamp), signature.Signature.AsSpan(8)) ? (long)timestamp : null;
    }

    /// <summary>
    /// A note verifies when a signature of <paramref name="key"/> (same name and key ID) verifies: plain Ed25519
    /// over the text for a type 01 key, cosignature/v1 for a type 04 key (signed-note: ignore unknown keys).
    /// </summary>
    public static bool VerifyNote(NoteVerifierKey key, SignedNote note)
    {
        var mine = note.Signatures.Where(s => s.Name == key.Name && s.KeyId == key.KeyId).ToList();
        return mine.Count > 0 && mine.All(s => key.Type switch
        {
            NoteVerifierKey.Ed25519Type => Ed25519.Verify(key.PublicKey, Encoding.UTF8.GetBytes(note.Text), s.Signature),
            NoteVerifierKey.CosignatureV1Type => Verify(key, note.Text, s) is not null,
            _ => false,
        });
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// A C2SP signed-note verifier key ("vkey"): <c>name+hex(key ID)+base64(type ‖ public key)</c>, with
/// <c>key ID = SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4]</c>. Type 0x04 is a C2SP cosignature/v1
/// (timestamped Ed25519) key, the witness's; type 0x01 is a plain Ed25519 note key.
/// </summary>
public sealed record NoteVerifierKey(string Name, byte Type, byte[] PublicKey)
{
    public const byte Ed25519Type = 0x01;
    public const byte CosignatureV1Type = 0x04;

    public uint KeyId => ComputeKeyId(Name, Type, PublicKey);

    public string ToText() => $"{Name}+{KeyId:x8}+{Convert.ToBase64String([Type, .. PublicKey])}";

    public bool Equals(NoteVerifierKey? other) =>
        other is not null && Name == other.Name && Type == other.Type && PublicKey.AsSpan().SequenceEqual(other.PublicKey);

    public override int GetHashCode() => HashCode.Combine(Name, Type, Convert.ToBase64String(PublicKey));

    public static uint ComputeKeyId(string name, byte type, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = 0x0A;
        input[nameBytes.Length + 1] = type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    /// <summary>A key name: non-empty, no Unicode space, no '+', no control character (signed-note).</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 256 && !name.Any(c => c == '+' || char.IsWhiteSpace(c) || char.IsControl(c) || char.IsSurrogate(c));

    /// <summary>Reads a vkey; the key ID it names must be the one its name, type and key give. Null when it is not one.</summary>
    public static NoteVerifierKey? TryParse(string text, out string? error)
    {
        error = null;
        var parts = text.Trim().Split('+', 3); // base64 may hold '+'; a name and a key ID may not
        if (parts.Length != 3 || !IsValidName(parts[0]) || parts[1].Length != 8
            || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id) || parts[1] != parts[1].ToLowerInvariant())
        {
            error = "is not a verifier key (name+8 hex digits+base64)";
            return null;
        }
        var material = NoteBase64.TryDecode(parts[2]);
        if (material is null)
        {
            error = "has a key part that is not base64";
            return null;
        }
        if (material.Length != 1 + Ed25519.PublicKeySize || material[0] is not (Ed25519Type or CosignatureV1Type))
        {
            error = "is not an Ed25519 (type 01) or cosignature/v1 (type 04) key of 32 bytes";
            return null;
        }
        var key = new NoteVerifierKey(parts[0], material[0], material[1..]);
        if (key.KeyId != id)
        {
            error = "names a key ID that its name and key do not give";
            return null;
        }
        return key;
    }
}

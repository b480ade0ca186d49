using System.Globalization;
using System.Security.Cryptography;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// A witness's private key: a name and a 32-byte Ed25519 seed. Written in the signed-note private key
/// form (golang.org/x/mod/sumdb/note's "skey"): <c>PRIVATE+KEY+name+hex(key ID)+base64(0x04 ‖ seed)</c>.
/// It is made and kept on the witness's own machine; nothing of the practice ever holds it.
/// </summary>
public sealed class WitnessSigningKey
{
    private const string Prefix = "PRIVATE+KEY+";
    private readonly byte[] _seed;

    private WitnessSigningKey(string name, byte[] seed)
    {
        Name = name;
        _seed = seed;
        Public = new NoteVerifierKey(name, NoteVerifierKey.CosignatureV1Type, Ed25519.PublicKeyOf(seed));
    }

    public string Name { get; }

    public NoteVerifierKey Public { get; }

    public static WitnessSigningKey Generate(string name) => FromSeed(name, RandomNumberGenerator.GetBytes(Ed25519.SeedSize));

    public static WitnessSigningKey FromSeed(string name, byte[] seed)
    {
        if (!NoteVerifierKey.IsValidName(name))
        {
            throw new ArgumentException("A key name is non-empty and has no space, no '+' and no control character.", nameof(name));
        }
        return new WitnessSigningKey(name, seed.ToArray());
    }

    public byte[] Sign(ReadOnlySpan<byte> message) => Ed25519.Sign(_seed, message);

    public string ToText() => $"{Prefix}{Name}+{Public.KeyId:x8}+{Convert.ToBase64String([NoteVerifierKey.CosignatureV1Type, .. _seed])}";

    /// <summary>Reads a private key file's text; null (with what is wrong, never the key) when it is not one.</summary>
    public static WitnessSigningKey? TryParse(string text, out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        var parts = trimmed.StartsWith(Prefix, StringComparison.Ordinal) ? trimmed[Prefix.Length..].Split('+', 3) : [];
        if (parts.Length != 3 || !NoteVerifierKey.IsValidName(parts[0])
            || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id))
        {
            error = "is not a witness private key (PRIVATE+KEY+name+id+key)";
            return null;
        }
        var material = NoteBase64.TryDecode(parts[2]);
        if (material is null)
        {
            error = "has a key part that is not base64";
            return null;
        }
        if (material.Length != 1 + Ed25519.SeedSize || material[0] != NoteVerifierKey.CosignatureV1Type)
        {
            error = "is not a cosignature/v1 (type 04) Ed25519 key";
            return null;
        }
        var key = new WitnessSigningKey(parts[0], material[1..]);
        if (key.Public.KeyId != id)
        {
            error = "names a key ID that its name and key do not give";
            return null;
        }
        return key;
    }
}

using System.Text;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// An Ed25519 public key as SubjectPublicKeyInfo PEM (RFC 8410: algorithm id-Ed25519, 1.3.101.112): the
/// DER is always the same 12 bytes followed by the 32-byte key, so it is read and written by hand.
/// </summary>
public static class WitnessPublicKeyPem
{
    private static readonly byte[] Prefix = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

    public static string Write(ReadOnlySpan<byte> publicKey) =>
        "-----BEGIN PUBLIC KEY-----\n" + Convert.ToBase64String([.. Prefix, .. publicKey]) + "\n-----END PUBLIC KEY-----\n";

    /// <summary>The 32-byte key of a PEM Ed25519 public key; null when the text is not one.</summary>
    public static byte[]? TryRead(string pem)
    {
        var text = pem.Trim();
        const string begin = "-----BEGIN PUBLIC KEY-----", end = "-----END PUBLIC KEY-----";
        if (!text.StartsWith(begin, StringComparison.Ordinal) || !text.EndsWith(end, StringComparison.Ordinal))
        {
            return null;
        }
        var body = new StringBuilder();
        foreach (var c in text[begin.Length..^end.Length])
        {
            if (!char.IsWhiteSpace(c))
            {
                body.Append(c);
            }
        }
        try
        {
            var der = Convert.FromBase64String(body.ToString());
            return der.Length == Prefix.Length + Ed25519.PublicKeySize && der.AsSpan(0, Prefix.Length).SequenceEqual(Prefix) ? der[Prefix.Length..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

using System.Security.Cryptography;
using System.Text;

namespace WelfareAudit.Infrastructure.Crypto;

/// <summary>
/// A keyed blind index of a client code: <c>keyId ":" hex(HMAC-SHA-256(indexKey, normalized code))</c>.
/// It groups a client's searches without storing the code; without the index key it cannot be
/// reversed by trying codes. Normalization: trimmed, Unicode NFC, upper-case invariant, so
/// " ab-12 " and "AB-12" index alike.
/// </summary>
public static class BlindIndex
{
    public static string Compute(KeyMaterial indexKey, string clientRef)
    {
        var normalized = clientRef.Trim().Normalize(NormalizationForm.FormC).ToUpperInvariant();
        var mac = Mac(indexKey.Bytes, Encoding.UTF8.GetBytes(normalized));
        return indexKey.KeyId + ":" + Convert.ToHexStringLower(mac);
    }

    /// <summary>The HMAC-SHA-256 primitive of the index, separate so tests can run RFC 4231 vectors against it.</summary>
    internal static byte[] Mac(byte[] key, ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);
}

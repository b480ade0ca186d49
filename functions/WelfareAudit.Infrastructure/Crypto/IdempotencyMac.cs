using System.Security.Cryptography;
using System.Text;

namespace WelfareAudit.Infrastructure.Crypto;

/// <summary>
/// The keyed fingerprint of an idempotent request, as stored in its idempotency row:
/// <c>indexKeyId ":" hex(HMAC-SHA-256(K, UTF-8(ledgerId "\n" requestHash)))</c> with
/// <c>K = HMAC-SHA-256(indexKey, "WelfareAudit idempotency request v1")</c>. An unkeyed hash of the body
/// would let anyone who can read the table confirm a guessed client code or text; without the index key
/// this cannot be computed. The derived key keeps these values apart from the blind index made with the
/// same key; the key id lets a retry after an index key rotation still be recognised.
/// </summary>
public static class IdempotencyMac
{
    private static readonly byte[] Label = "WelfareAudit idempotency request v1"u8.ToArray();

    public static string Compute(KeyMaterial indexKey, string ledgerId, string requestHash) =>
        indexKey.KeyId + ":" + Convert.ToHexStringLower(Mac(indexKey, ledgerId, requestHash));

    /// <summary>The key id a stored value was made with, or null when it is not of this form.</summary>
    public static string? KeyIdOf(string stored)
    {
        var colon = stored.LastIndexOf(':');
        return colon > 0 && stored.Length - colon - 1 == 64 ? stored[..colon] : null;
    }

    /// <summary>Whether <paramref name="stored"/> is the fingerprint of this request under <paramref name="indexKey"/> (constant time).</summary>
    public static bool Matches(KeyMaterial indexKey, string stored, string ledgerId, string requestHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(indexKey, ledgerId, requestHash)), Encoding.ASCII.GetBytes(stored));

    private static byte[] Mac(KeyMaterial indexKey, string ledgerId, string requestHash)
    {
        var derived = HMACSHA256.HashData(indexKey.Bytes, Label);
        try
        {
            return HMACSHA256.HashData(derived, Encoding.UTF8.GetBytes(ledgerId + "\n" + requestHash));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
        }
    }
}

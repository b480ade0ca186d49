using Bc = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// Pure Ed25519 (RFC 8032 section 5.1), the algorithm of C2SP cosignature/v1. .NET 10 has no Ed25519, so
/// this is BouncyCastle's managed implementation (no native library), checked against RFC 8032's vectors.
/// </summary>
public static class Ed25519
{
    public const int SeedSize = 32;
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;

    public static byte[] PublicKeyOf(ReadOnlySpan<byte> seed)
    {
        CheckSize(seed, SeedSize, "An Ed25519 private key (seed)");
        var publicKey = new byte[PublicKeySize];
        Bc.GeneratePublicKey(seed.ToArray(), 0, publicKey, 0);
        return publicKey;
    }

    public static byte[] Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message)
    {
        CheckSize(seed, SeedSize, "An Ed25519 private key (seed)");
        var signature = new byte[SignatureSize];
        var bytes = message.ToArray();
        Bc.Sign(seed.ToArray(), 0, bytes, 0, bytes.Length, signature, 0);
        return signature;
    }

    /// <summary>False for a wrong signature, a key or signature of the wrong size, or a key that is not a curve point.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }
        var bytes = message.ToArray();
        return Bc.Verify(signature.ToArray(), 0, publicKey.ToArray(), 0, bytes, 0, bytes.Length);
    }

    private static void CheckSize(ReadOnlySpan<byte> value, int size, string what)
    {
        if (value.Length != size)
        {
            throw new ArgumentException($"{what} is {size} bytes.");
        }
    }
}

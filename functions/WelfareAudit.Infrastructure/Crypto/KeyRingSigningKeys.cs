using System.Security.Cryptography;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Infrastructure.Crypto;

/// <summary>
/// The ECDSA P-256 signing keys, held in the key ring like the other keys: the 32 random bytes of a
/// <see cref="KeyPurpose.Signing"/> key are the private scalar d; the public point is derived from it.
/// The key id is the key ring's (the Key Vault secret version, or the key file's id).
/// </summary>
public sealed class KeyRingSigningKeys(IKeyRing keys) : ISigningKeys
{
    public async Task<SigningKey> GetCurrentAsync(CancellationToken cancellationToken)
    {
        var material = await Guard(() => keys.GetCurrentAsync(KeyPurpose.Signing, cancellationToken));
        return new SigningKey(material.KeyId, Import(material));
    }

    public async Task<PublicSigningKey> GetPublicAsync(string keyId, CancellationToken cancellationToken)
    {
        var material = await Guard(() => keys.GetAsync(KeyPurpose.Signing, keyId, cancellationToken));
        using var key = Import(material);
        return new PublicSigningKey(material.KeyId, key.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>The key store being unreachable is reported like the ledger's own (503, retry later), not as a bug.</summary>
    private static async Task<KeyMaterial> Guard(Func<ValueTask<KeyMaterial>> read)
    {
        try
        {
            return await read();
        }
        catch (KeyUnavailableException e)
        {
            throw new LedgerUnavailableException("The key store is unavailable.", e);
        }
    }

    private static ECDsa Import(KeyMaterial material)
    {
        try
        {
            return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = material.Bytes.ToArray() });
        }
        catch (CryptographicException e)
        {
            // 32 random bytes are a valid scalar except with probability about 2^-32 (zero, or not below the group order).
            throw new KeyUnavailableException($"The signing key '{material.KeyId}' is not a valid P-256 private key; rotate the signing key.", e);
        }
    }
}

using System.Security.Cryptography;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// An ECDSA P-256 signing key of the practice, with its id (the key ring's key id). Dispose it after use:
/// it holds the private key.
/// </summary>
public sealed class SigningKey(string keyId, ECDsa key) : IDisposable
{
    public string KeyId { get; } = keyId;

    public string PublicKeyPem { get; } = key.ExportSubjectPublicKeyInfoPem();

    public string SignBase64(ReadOnlySpan<byte> statement) =>
        Convert.ToBase64String(key.SignData(statement, CheckpointStatement.Hash, CheckpointStatement.SignatureFormat));

    public void Dispose() => key.Dispose();
}

/// <summary>A public signing key and its id, as published by <c>GET /api/audit/signing-key</c> and in bundles.</summary>
public sealed record PublicSigningKey(string KeyId, string PublicKeyPem);

/// <summary>Where the signing keys come from (Key Vault secrets in production, the local key file in development).</summary>
public interface ISigningKeys
{
    /// <summary>The key new checkpoints are signed with.</summary>
    Task<SigningKey> GetCurrentAsync(CancellationToken cancellationToken);

    /// <summary>The public half of a key by id, current or older (old checkpoints stay verifiable after rotation).</summary>
    Task<PublicSigningKey> GetPublicAsync(string keyId, CancellationToken cancellationToken);
}

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

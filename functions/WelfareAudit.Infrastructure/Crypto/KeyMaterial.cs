namespace WelfareAudit.Infrastructure.Crypto;

/// <summary>
/// A symmetric key (32 bytes) and its id. In Key Vault the id is the secret version; in the local key
/// file it is a random 32-hex-digit id. Ids are printable ASCII, at most 64 characters.
/// </summary>
public sealed record KeyMaterial(string KeyId, byte[] Bytes);

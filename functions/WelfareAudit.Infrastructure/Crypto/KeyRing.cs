namespace WelfareAudit.Infrastructure.Crypto;

/// <summary>What a key is for. Each purpose has its own key and its own rotation.</summary>
public enum KeyPurpose
{
    /// <summary>AES-256-GCM encryption of sensitive fields.</summary>
    Data,

    /// <summary>HMAC-SHA-256 blind index of client codes.</summary>
    Index,

    /// <summary>ECDSA P-256 signing of checkpoints and audit bundles: the 32 bytes are the private scalar d.</summary>
    Signing,
}

/// <summary>
/// A symmetric key (32 bytes) and its id. In Key Vault the id is the secret version; in the local key
/// file it is a random 32-hex-digit id. Ids are printable ASCII, at most 64 characters.
/// </summary>
public sealed record KeyMaterial(string KeyId, byte[] Bytes);

/// <summary>
/// Where keys come from. A given key id never changes, so implementations cache every version they
/// have read forever, and refresh "which version is current" on an interval.
/// </summary>
public interface IKeyRing
{
    /// <summary>The key new data is protected with.</summary>
    ValueTask<KeyMaterial> GetCurrentAsync(KeyPurpose purpose, CancellationToken cancellationToken);

    /// <summary>A key by id, current or older: old data stays readable after rotation.</summary>
    ValueTask<KeyMaterial> GetAsync(KeyPurpose purpose, string keyId, CancellationToken cancellationToken);

    /// <summary>Creates a new current key for <paramref name="purpose"/>; older versions stay readable.</summary>
    Task<KeyMaterial> RotateAsync(KeyPurpose purpose, CancellationToken cancellationToken);
}

/// <summary>Thrown when a key cannot be had (Key Vault unreachable, throttled, refused, or the key id unknown).</summary>
public class KeyUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The key store answered, and it holds no key of this purpose with this id (or the id cannot be one of
/// its ids). Ids come from stored envelopes, so for stored data this means the id was altered (or a key
/// version was deleted, which the key rules forbid): a finding about the data, not an outage.
/// </summary>
public sealed class UnknownKeyIdException(string message, Exception? inner = null) : KeyUnavailableException(message, inner);

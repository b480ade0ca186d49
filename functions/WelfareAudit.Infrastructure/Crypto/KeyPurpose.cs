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

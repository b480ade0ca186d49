namespace WelfareAudit.Infrastructure.Crypto;

/// <summary>Thrown when a key cannot be had (Key Vault unreachable, throttled, refused, or the key id unknown).</summary>
public class KeyUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

namespace WelfareAudit.Infrastructure.Crypto;

/// <summary>An envelope that cannot be opened. The message never includes the ciphertext or plaintext.</summary>
public sealed class EnvelopeException(string message, Exception? inner = null) : Exception(message, inner);

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>A decrypted value that is not what the chain committed to.</summary>
public sealed class CommitmentMismatchException(string message) : Exception(message);

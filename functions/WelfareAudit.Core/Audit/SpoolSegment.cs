namespace WelfareAudit.Core.Audit;

/// <summary>A run of chunks of an <see cref="EncryptedSpool"/>: where it starts in the file, and its chunk ids (first, and one past the last).</summary>
public sealed record SpoolSegment(long Offset, ulong FirstId, ulong EndId);

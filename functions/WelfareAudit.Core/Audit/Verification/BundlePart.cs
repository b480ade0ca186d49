namespace WelfareAudit.Core.Audit.Verification;

/// <summary>One ledger's part as the manifest describes it, with the checkpoint that signs its head.</summary>
internal sealed record BundlePart(string LedgerId, long First, long Last, string Anchor, long Events, long InRange,
    long UpTo, string HeadHash, DateTimeOffset SignedAt, string KeyId, string Signature, long? CheckpointSequence = null);

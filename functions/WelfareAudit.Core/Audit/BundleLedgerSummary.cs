namespace WelfareAudit.Core.Audit;

public sealed record BundleLedgerSummary(string LedgerId, long FirstSequence, long LastSequence, string Anchor, long Events, long InRange,
    DateTimeOffset CheckpointSignedAt, string CheckpointKeyId, long CheckpointsInChain);

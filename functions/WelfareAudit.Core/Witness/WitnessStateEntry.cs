namespace WelfareAudit.Core.Witness;

/// <summary>The last head a witness cosigned for one origin (one ledger of one practice).</summary>
public sealed record WitnessStateEntry(long TreeSize, string HeadHash, string RootHash, long Timestamp);

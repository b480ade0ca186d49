namespace WelfareAudit.Core.Witness;

/// <summary>What checking one cosignature found: its note and time, or the field that is wrong and why.</summary>
public sealed record CosignatureVerdict(CheckpointNote? Note, long? Timestamp, string? Field, string? Error)
{
    public bool Ok => Error is null;

    public static CosignatureVerdict Bad(string field, string error) => new(null, null, field, error);
}

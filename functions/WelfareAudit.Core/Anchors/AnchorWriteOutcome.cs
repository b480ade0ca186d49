namespace WelfareAudit.Core.Anchors;

/// <summary>What a create-only anchor write did.</summary>
public enum AnchorWriteOutcome
{
    /// <summary>The blob was created.</summary>
    Created,

    /// <summary>A blob of that name existed already; nothing was written (the name states the same ledger, sequence and head).</summary>
    AlreadyExists,
}

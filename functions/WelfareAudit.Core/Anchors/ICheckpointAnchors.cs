namespace WelfareAudit.Core.Anchors;

/// <summary>
/// The write-once store of anchored checkpoints (the WORM <c>checkpoints</c> blob container in Azure). Implementations
/// create a blob only if its name is free (never overwrite), and rely on their SDK's own retry: callers do not retry.
/// </summary>
public interface ICheckpointAnchors
{
    /// <summary>False when no container is configured (anchoring is then off, and verify says so).</summary>
    bool IsConfigured { get; }

    /// <summary>Creates the blob <paramref name="name"/> with <paramref name="content"/>, unless one of that name exists.</summary>
    Task<AnchorWriteOutcome> CreateAsync(string name, byte[] content, CancellationToken cancellationToken);

    /// <summary>The names of every anchor blob under <paramref name="prefix"/> (all of them when empty), in name order.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>The content of one blob (at most <see cref="CheckpointAnchor.MaxBytes"/> + 1 bytes are read).</summary>
    Task<byte[]> ReadAsync(string name, CancellationToken cancellationToken);
}

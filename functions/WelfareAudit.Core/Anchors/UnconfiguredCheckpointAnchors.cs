namespace WelfareAudit.Core.Anchors;

/// <summary>No anchor container is configured: nothing is written, nothing is listed.</summary>
public sealed class UnconfiguredCheckpointAnchors : ICheckpointAnchors
{
    public bool IsConfigured => false;

    public Task<AnchorWriteOutcome> CreateAsync(string name, byte[] content, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No checkpoint anchor container is configured.");

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken) => AsyncEnumerable.Empty<string>();

    public Task<byte[]> ReadAsync(string name, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No checkpoint anchor container is configured.");
}

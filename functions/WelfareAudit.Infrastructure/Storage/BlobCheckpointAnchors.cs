using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using WelfareAudit.Core.Anchors;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// The anchor store on a blob container (the WORM <c>checkpoints</c> container in Azure, Azurite in development).
/// Each anchor is one block blob created with <c>If-None-Match: *</c>: a blob that exists is never overwritten, and
/// the container's immutability policy keeps it from being deleted. The client is the DI singleton with the SDK's own
/// retry; nothing here retries. <paramref name="createContainer"/> (development only) creates a missing container once.
/// </summary>
public sealed class BlobCheckpointAnchors(BlobContainerClient container, bool createContainer) : ICheckpointAnchors
{
    private volatile bool _containerChecked = !createContainer;

    public bool IsConfigured => true;

    public async Task<AnchorWriteOutcome> CreateAsync(string name, byte[] content, CancellationToken cancellationToken)
    {
        if (!_containerChecked)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _containerChecked = true;
        }
        try
        {
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            }, cancellationToken);
            return AnchorWriteOutcome.Created;
        }
        catch (RequestFailedException e) when (IsAlreadyThere(e))
        {
            return AnchorWriteOutcome.AlreadyExists;
        }
    }

    /// <summary>The names under <paramref name="prefix"/>; none while the container does not exist yet (nothing was anchored).</summary>
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var pages = container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix.Length == 0 ? null : prefix, cancellationToken)
            .AsPages().GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await pages.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (RequestFailedException e) when (e.ErrorCode == "ContainerNotFound")
            {
                break;
            }
            foreach (var blob in pages.Current.Values)
            {
                yield return blob.Name;
            }
        }
    }

    public async Task<byte[]> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var result = await container.GetBlobClient(name).DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(0, CheckpointAnchor.MaxBytes + 1) }, cancellationToken);
        return result.Value.Content.ToArray();
    }

    /// <summary>
    /// The blob exists: 409 <c>BlobAlreadyExists</c> (the service's answer to <c>If-None-Match: *</c>), 412 (a condition
    /// not met, as the emulator answers), or 409 <c>BlobImmutableDueToPolicy</c>. Also what a retried write whose first
    /// attempt succeeded sees: the write is idempotent.
    /// </summary>
    private static bool IsAlreadyThere(RequestFailedException e) =>
        e.Status == 412 || (e.Status == 409 && e.ErrorCode is "BlobAlreadyExists" or "BlobImmutableDueToPolicy");
}

using Microsoft.Extensions.Logging;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Anchors;

/// <summary>
/// Writes each checkpoint to the WORM anchor store (docs/ledger-format.md §14) after it has been appended to the
/// ledger. A write never fails the checkpoint, and nothing on the logging path calls it: a failed write is logged
/// (event 8101) and left for <see cref="CatchUpAsync"/>, which the daily checkpoint job runs for every ledger. What
/// is pending is read from storage each time (the ledger's checkpoints above its highest anchored sequence), so a
/// failure survives restarts and is seen by every instance (<c>GET /api/ledger/verify</c>: <c>anchors.unanchored</c>).
/// </summary>
public sealed partial class CheckpointAnchoring(ICheckpointAnchors anchors, IAuditLedgerReader reader, ILogger<CheckpointAnchoring> logger)
{
    public bool IsConfigured => anchors.IsConfigured;

    /// <summary>Anchors one checkpoint of <paramref name="ledgerId"/>; false (logged) when the write failed.</summary>
    public async Task<bool> TryAnchorAsync(string ledgerId, Checkpoint checkpoint, CancellationToken cancellationToken) =>
        anchors.IsConfigured && await TryWriteAsync(CheckpointAnchor.From(ledgerId, checkpoint), cancellationToken);

    /// <summary>
    /// Anchors the checkpoints of <paramref name="ledgerId"/> (up to <paramref name="head"/>) that sign a sequence above
    /// the highest anchored one: one listing of the ledger's prefix, a clear read (no decryption) of the events after
    /// that sequence, one write per missing anchor. Returns how many were written; failures are logged, never thrown.
    /// </summary>
    public async Task<int> CatchUpAsync(string ledgerId, long head, CancellationToken cancellationToken)
    {
        if (!anchors.IsConfigured || head < 1)
        {
            return 0;
        }
        var written = 0;
        try
        {
            var anchored = await ListAsync(ledgerId, cancellationToken);
            var latest = anchored.Count == 0 ? 0 : anchored.Max(a => a.Sequence);
            var names = anchored.Select(a => a.BlobName).ToHashSet(StringComparer.Ordinal);
            await foreach (var e in reader.ReadAsync(ledgerId, latest + 1, head, _ => false, cancellationToken))
            {
                if (CheckpointAnchor.FromEvent(e) is { } anchor && anchor.UpToSequence > latest && !names.Contains(anchor.Name.BlobName))
                {
                    if (!await TryWriteAsync(anchor, cancellationToken))
                    {
                        break; // the store is failing (after the SDK's retries): the next run goes on from here
                    }
                    written++;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.CatchUpFailed(logger, ledgerId, e.GetType().Name);
        }
        if (written > 0)
        {
            Log.CaughtUp(logger, ledgerId, written);
        }
        return written;
    }

    /// <summary>The anchors of one ledger, from one listing of its prefix.</summary>
    public async Task<IReadOnlyList<AnchorName>> ListAsync(string ledgerId, CancellationToken cancellationToken)
    {
        var list = new List<AnchorName>();
        await foreach (var name in anchors.ListAsync(AnchorName.Prefix(ledgerId), cancellationToken))
        {
            if (AnchorName.TryParse(name, out var anchor) && anchor.LedgerId == ledgerId)
            {
                list.Add(anchor);
            }
        }
        return list;
    }

    /// <summary>Every anchor in the store by ledger, from one listing of the whole container. Names that are not anchors are left out.</summary>
    public async Task<IReadOnlyDictionary<string, List<AnchorName>>> ListAllAsync(CancellationToken cancellationToken)
    {
        var byLedger = new Dictionary<string, List<AnchorName>>(StringComparer.Ordinal);
        await foreach (var name in anchors.ListAsync("", cancellationToken))
        {
            if (AnchorName.TryParse(name, out var anchor))
            {
                if (!byLedger.TryGetValue(anchor.LedgerId, out var list))
                {
                    byLedger[anchor.LedgerId] = list = [];
                }
                list.Add(anchor);
            }
        }
        return byLedger;
    }

    private async Task<bool> TryWriteAsync(CheckpointAnchor anchor, CancellationToken ct)
    {
        var name = anchor.Name.BlobName;
        try
        {
            var outcome = await anchors.CreateAsync(name, anchor.ToBytes(), ct);
            Log.Anchored(logger, anchor.LedgerId, anchor.UpToSequence, name, outcome);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The SDK has retried already; the next daily run tries again (CatchUpAsync).
            Log.AnchorFailed(logger, anchor.LedgerId, anchor.UpToSequence, name, e.GetType().Name);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8101, Level = LogLevel.Warning, Message = "Anchoring the checkpoint of ledger {LedgerId} at sequence {Sequence} ({BlobName}) failed: {ExceptionType}; the next daily checkpoint run retries it")]
        public static partial void AnchorFailed(ILogger logger, string ledgerId, long sequence, string blobName, string exceptionType);

        [LoggerMessage(EventId = 8102, Level = LogLevel.Information, Message = "Anchored the checkpoint of ledger {LedgerId} at sequence {Sequence} ({BlobName}): {Outcome}")]
        public static partial void Anchored(ILogger logger, string ledgerId, long sequence, string blobName, AnchorWriteOutcome outcome);

        [LoggerMessage(EventId = 8103, Level = LogLevel.Information, Message = "Anchored {Count} checkpoint(s) of ledger {LedgerId} that an earlier write had missed")]
        public static partial void CaughtUp(ILogger logger, string ledgerId, int count);

        [LoggerMessage(EventId = 8104, Level = LogLevel.Warning, Message = "Could not list or read what to anchor for ledger {LedgerId}: {ExceptionType}; the next daily checkpoint run retries")]
        public static partial void CatchUpFailed(ILogger logger, string ledgerId, string exceptionType);
    }
}

using Microsoft.Extensions.Logging;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Anchors;

/// <summary>
/// Compares verified ledgers with every anchored checkpoint for them (docs/ledger-format.md §14.4), for
/// <c>GET /api/ledger/verify</c> and the export: a fork or a rollback becomes the ledger's problem (when its chain
/// verified), an anchored ledger that is not in the table is added as a ledger with a <c>MissingLedger</c> problem,
/// and every ledger gets its <see cref="AnchorSummary"/>. Costs one listing (of the container, or of the ledger's
/// prefix) and one clear read (no decryption) of each ledger from its lowest anchored sequence, unless the ledger was
/// observed during its verifying pass (<see cref="AnchorObservation"/>: the export), which reads nothing more.
/// </summary>
public sealed partial class AnchorAudit(CheckpointAnchoring anchoring, IAuditLedgerReader reader, ILogger<AnchorAudit> logger)
{
    private static readonly string NoHash = new('0', 2 * ChainHash.Size);

    /// <summary>Whether an anchor container is configured (otherwise every check returns the ledgers as they are).</summary>
    public bool IsConfigured => anchoring.IsConfigured;

    /// <param name="verified">The ledgers as verified in storage.</param>
    /// <param name="everyLedger">True when <paramref name="verified"/> is every ledger of the table (a supervisor's view): anchored ledgers not in it are then missing.</param>
    public async Task<IReadOnlyList<LedgerVerification>> CheckAsync(IReadOnlyList<LedgerVerification> verified, bool everyLedger, CancellationToken cancellationToken)
    {
        if (!anchoring.IsConfigured)
        {
            return verified;
        }
        var byLedger = await ListAsync([.. verified.Select(v => v.LedgerId)], everyLedger, cancellationToken);
        return await CheckAsync(verified, everyLedger, byLedger, null, cancellationToken);
    }

    /// <summary>
    /// The anchors to compare with: of every ledger (<paramref name="everyLedger"/>, one listing of the container), or of
    /// <paramref name="ledgerIds"/> (one listing of each ledger's prefix). Listed before the ledgers are verified when
    /// the verifying pass itself is to observe them (<see cref="AnchorObservation"/>).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, List<AnchorName>>> ListAsync(IReadOnlyList<string> ledgerIds, bool everyLedger, CancellationToken cancellationToken)
    {
        if (everyLedger)
        {
            return await anchoring.ListAllAsync(cancellationToken);
        }
        var lists = new Dictionary<string, List<AnchorName>>(StringComparer.Ordinal);
        foreach (var id in ledgerIds)
        {
            lists[id] = [.. await anchoring.ListAsync(id, cancellationToken)];
        }
        return lists;
    }

    /// <summary>
    /// Compares with <paramref name="byLedger"/> (<see cref="ListAsync"/>); a ledger with an entry in
    /// <paramref name="observed"/> was observed during its verifying pass and is not read again.
    /// </summary>
    public async Task<IReadOnlyList<LedgerVerification>> CheckAsync(IReadOnlyList<LedgerVerification> verified, bool everyLedger,
        IReadOnlyDictionary<string, List<AnchorName>> byLedger, IReadOnlyDictionary<string, AnchorObservation>? observed, CancellationToken cancellationToken)
    {
        var results = new List<LedgerVerification>(verified.Count);
        foreach (var v in verified)
        {
            var anchors = byLedger.TryGetValue(v.LedgerId, out var list) ? list : [];
            results.Add(await CheckAsync(v, anchors, observed?.GetValueOrDefault(v.LedgerId), cancellationToken));
        }
        if (everyLedger)
        {
            var present = verified.Select(v => v.LedgerId).ToHashSet(StringComparer.Ordinal);
            foreach (var (ledgerId, anchors) in byLedger.Where(l => !present.Contains(l.Key)).OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                results.Add(Finding(new LedgerVerification(ledgerId, 0, NoHash, null), AnchorComparison.Missing(anchors), anchors, 0));
            }
        }
        return results;
    }

    private async Task<LedgerVerification> CheckAsync(LedgerVerification v, List<AnchorName> anchors, AnchorObservation? observation, CancellationToken ct)
    {
        var latest = anchors.Count == 0 ? (long?)null : anchors.Max(a => a.Sequence);
        if (!v.Ok)
        {
            // The chain's own problem comes first; the anchors cannot be compared with a broken chain.
            return v with { Anchors = new AnchorSummary(anchors.Count, latest, null) };
        }
        if (v.Events == 0)
        {
            return anchors.Count == 0
                ? v with { Anchors = new AnchorSummary(0, null, 0) }
                : Finding(v, AnchorComparison.Missing(anchors), anchors, 0);
        }

        if (observation is null)
        {
            // One clear pass from the lowest anchored sequence: the hashes at anchored sequences, and the checkpoints
            // above the highest anchored sequence that are not anchored yet.
            observation = new AnchorObservation(anchors);
            var from = anchors.Count == 0 ? 1 : Math.Min(anchors.Min(a => a.Sequence), v.Events);
            await foreach (var e in reader.ReadAsync(v.LedgerId, from, v.Events, _ => false, ct))
            {
                observation.Observe(e);
            }
        }
        var findings = AnchorComparison.Compare(anchors, 1, v.Events, observation.Hashes);
        return findings.Count == 0
            ? v with { Anchors = new AnchorSummary(anchors.Count, latest, observation.Unanchored) }
            : Finding(v, findings[0], anchors, observation.Unanchored);
    }

    private LedgerVerification Finding(LedgerVerification v, AnchorFinding finding, List<AnchorName> anchors, int unanchored)
    {
        Log.AnchorFinding(logger, v.LedgerId, finding.Kind, finding.Anchor.Sequence, finding.Anchor.BlobName);
        var kind = Enum.Parse<LedgerProblemKind>(finding.Kind.ToString());
        return v with
        {
            Problem = new LedgerProblem(finding.Anchor.Sequence, kind, finding.Detail) { Anchor = finding.Anchor.BlobName },
            Anchors = new AnchorSummary(anchors.Count, anchors.Max(a => a.Sequence), unanchored),
        };
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8105, Level = LogLevel.Warning, Message = "Ledger {LedgerId} disagrees with its anchored checkpoints: {Kind} at sequence {Sequence} ({BlobName})")]
        public static partial void AnchorFinding(ILogger logger, string ledgerId, AnchorFindingKind kind, long sequence, string blobName);
    }
}

using WelfareAudit.Core.Audit;

namespace WelfareAudit.Core.Anchors;

/// <summary>
/// What <see cref="AnchorAudit"/> needs to see of a ledger's events to compare it with its anchors: the hash at each
/// anchored sequence, and how many checkpoints above the highest anchored sequence are not anchored yet. Fed by a
/// clear read, or by the export's verifying pass (so that the export reads each ledger once). Holds one hash per anchor.
/// </summary>
public sealed class AnchorObservation(IReadOnlyCollection<AnchorName> anchors)
{
    private readonly HashSet<long> _wanted = anchors.Select(a => a.Sequence).ToHashSet();
    private readonly Dictionary<long, string> _hashes = [];

    /// <summary>The highest anchored sequence; null when the ledger has no anchor.</summary>
    public long? Latest { get; } = anchors.Count == 0 ? null : anchors.Max(a => a.Sequence);

    public IReadOnlyDictionary<long, string> Hashes => _hashes;

    public int Unanchored { get; private set; }

    public void Observe(AuditEventRecord e)
    {
        if (_wanted.Contains(e.Header.Sequence))
        {
            _hashes[e.Header.Sequence] = e.Hash;
        }
        if (CheckpointAnchor.FromEvent(e) is { } checkpoint && checkpoint.UpToSequence > (Latest ?? 0))
        {
            Unanchored++;
        }
    }
}

using System.Globalization;

namespace WelfareAudit.Core.Anchors;

/// <summary>
/// The comparison rule of docs/ledger-format.md §14.4, the same for the server (verify, export) and the offline
/// verifier: a chain that holds sequences <c>first..last</c> of a ledger is compared with each anchored checkpoint of
/// that ledger. A different hash at an anchored sequence inside the range is a fork (the earliest is reported); an
/// anchored sequence beyond <c>last</c> is a rollback (the highest is reported). Anchors before <c>first</c> cannot
/// be checked against this chain and are left out.
/// </summary>
public static class AnchorComparison
{
    /// <param name="anchors">The ledger's anchors (any order).</param>
    /// <param name="first">First sequence the chain holds.</param>
    /// <param name="last">Last sequence the chain holds (0: none).</param>
    /// <param name="hashAt">The chain's hash at each anchored sequence in <c>first..last</c>.</param>
    public static IReadOnlyList<AnchorFinding> Compare(IEnumerable<AnchorName> anchors, long first, long last, IReadOnlyDictionary<long, string> hashAt)
    {
        AnchorName? fork = null, rollback = null;
        foreach (var a in anchors)
        {
            if (a.Sequence > last)
            {
                if (rollback is null || a.Sequence > rollback.Sequence)
                {
                    rollback = a;
                }
            }
            else if (a.Sequence >= first && (!hashAt.TryGetValue(a.Sequence, out var hash) || !string.Equals(hash, a.HeadHash, StringComparison.Ordinal)))
            {
                if (fork is null || a.Sequence < fork.Sequence)
                {
                    fork = a;
                }
            }
        }
        var findings = new List<AnchorFinding>(2);
        if (fork is not null)
        {
            findings.Add(new AnchorFinding(AnchorFindingKind.Fork, fork,
                $"The chain's hash at sequence {Text(fork.Sequence)} is not the head hash of the anchored checkpoint {fork.BlobName}: the history was rewritten after it was anchored."));
        }
        if (rollback is not null)
        {
            findings.Add(new AnchorFinding(AnchorFindingKind.Rollback, rollback,
                $"The chain ends at sequence {Text(last)}, before sequence {Text(rollback.Sequence)} signed by the anchored checkpoint {rollback.BlobName}: events were removed from its end."));
        }
        return findings;
    }

    /// <summary>The finding for a ledger that has anchors but is not there at all (named by its highest anchor).</summary>
    public static AnchorFinding Missing(IEnumerable<AnchorName> anchors)
    {
        var latest = anchors.MaxBy(a => a.Sequence) ?? throw new ArgumentException("A missing ledger is named by one of its anchors.", nameof(anchors));
        return new AnchorFinding(AnchorFindingKind.MissingLedger, latest,
            $"Ledger {latest.LedgerId} has anchored checkpoints up to sequence {Text(latest.Sequence)} ({latest.BlobName}) but no row in the table.");
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

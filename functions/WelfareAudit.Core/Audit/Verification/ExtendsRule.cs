using System.Globalization;

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>
/// The <c>--extends</c> rule (docs/ledger-format.md §16): a newer export extends an earlier one when, per ledger of the
/// earlier one, the newer one shows the same hash at the earlier one's signed head. The chain makes every hash commit
/// to everything before it, so one equal hash proves the whole earlier history is contained unchanged. As
/// transparency-dev's <c>LogStateTracker.Update</c> does for a log, a newer head is accepted only once it provably
/// extends the trusted one. When the hashes differ the rule names the first sequence where the two exports part.
/// Both exports must have passed <see cref="AuditBundleVerifier"/> first: this rule trusts each one's chain.
/// </summary>
public static class ExtendsRule
{
    /// <summary>Every ledger of <paramref name="old"/> against <paramref name="new"/>, then the ledgers only <paramref name="new"/> has.</summary>
    public static ExtendsVerification Check(IEnumerable<LedgerHistory> old, IEnumerable<LedgerHistory> @new, IReadOnlyList<BundleExcludedLedger>? excludedFromNew = null)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(@new);
        var newer = @new.ToDictionary(h => h.LedgerId, StringComparer.Ordinal);
        var earlier = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<LedgerExtension>();
        foreach (var o in old)
        {
            earlier.Add(o.LedgerId);
            results.Add(newer.TryGetValue(o.LedgerId, out var n) ? Check(o, n) : Missing(o, excludedFromNew?.FirstOrDefault(x => x.LedgerId == o.LedgerId)));
        }
        foreach (var n in @new.Where(n => !earlier.Contains(n.LedgerId)))
        {
            results.Add(new LedgerExtension(n.LedgerId, ExtensionKind.NewLedger, null, n.Last, null, "The ledger is only in the newer export."));
        }
        return new ExtendsVerification(results);
    }

    /// <summary>One ledger: whether <paramref name="new"/> contains <paramref name="old"/> unchanged up to its signed head.</summary>
    public static LedgerExtension Check(LedgerHistory old, LedgerHistory @new)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(@new);
        if (old.LedgerId != @new.LedgerId)
        {
            throw new ArgumentException("The two histories are of different ledgers.", nameof(@new));
        }
        var (oldHead, newHead) = (old.Last, @new.Last);

        // Every sequence both exports show, oldest first: the first one that differs is where they part.
        var from = Math.Max(old.First - 1, @new.First - 1);
        var to = Math.Min(oldHead, newHead);
        for (var s = from; s <= to; s++)
        {
            if (!old.Bytes(s).SequenceEqual(@new.Bytes(s)))
            {
                var earliest = s > from ? $" (they agree at sequence {Text(s - 1)})"
                    : $" (sequence {Text(s)} is the earliest both exports show, so they may part earlier)";
                return new LedgerExtension(old.LedgerId, ExtensionKind.Diverges, oldHead, newHead, s,
                    $"The exports show different hashes at sequence {Text(s)}{earliest}: the history the earlier export signed " +
                    "was rewritten or forked there (an event changed, removed or inserted).");
            }
        }
        if (newHead < oldHead)
        {
            return new LedgerExtension(old.LedgerId, ExtensionKind.Truncated, oldHead, newHead, newHead + 1,
                $"The newer export's signed head is at sequence {Text(newHead)}, before the earlier export's at {Text(oldHead)}: " +
                $"events {Text(newHead + 1)} to {Text(oldHead)} are gone.");
        }
        if (!@new.Holds(oldHead))
        {
            var checkpoint = old.CheckpointSequence is { } c ? $" and its export checkpoint at {Text(c)}" : "";
            return new LedgerExtension(old.LedgerId, ExtensionKind.Unprovable, oldHead, newHead, null,
                $"The newer export starts at sequence {Text(@new.First)}, after the earlier export's head at {Text(oldHead)}{checkpoint}, " +
                "so it shows no hash to compare. Export again with a range starting no later than the day of the earlier export.");
        }
        return new LedgerExtension(old.LedgerId, ExtensionKind.Extends, oldHead, newHead, oldHead,
            newHead == oldHead
                ? $"The head at sequence {Text(oldHead)} is unchanged and nothing was added."
                : $"The head at sequence {Text(oldHead)} is unchanged; {Text(newHead - oldHead)} event(s) follow it.");
    }

    private static LedgerExtension Missing(LedgerHistory old, BundleExcludedLedger? excluded) =>
        new(old.LedgerId, ExtensionKind.Missing, old.Last, null, null, excluded is null
            ? "The ledger is in the earlier export and not in the newer one."
            : $"The newer export left the ledger out: it failed verification in storage at sequence {Text(excluded.Sequence)}.");

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

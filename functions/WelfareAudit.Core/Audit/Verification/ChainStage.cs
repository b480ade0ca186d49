using System.Globalization;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>
/// Stage 4, the chain of each ledger's part, fed one event at a time in file order: the parts come in manifest
/// order; within a part every sequence from first to last, none skipped or out of order; the first event anchored
/// on the genesis or on a signed checkpoint; each event linking to the one before and hashing to its hash; every
/// checkpoint inside the chain signed and signing the hash the chain really had; the last event the signed head.
/// Memory stays flat: only a window of recent hashes is kept.
/// </summary>
internal sealed class ChainStage(BundleManifest manifest, BundleKeys keys)
{
    /// <summary>How far back a checkpoint inside the chain may point and still be checked against the recomputed hash.</summary>
    private const int HashWindow = 4096;

    private readonly (long Sequence, string Hash)[] _ring = new (long, string)[HashWindow];
    private readonly List<BundleLedgerSummary> _ledgers = [];
    private int _index;
    private string? _previous;
    private long _partEvents, _partInRange, _checkpointsInChain;

    public BundlePart? Current => _index < manifest.Parts.Count ? manifest.Parts[_index] : null;

    public long Expected { get; private set; } = manifest.Parts.Count > 0 ? manifest.Parts[0].First : 0;

    public long Events { get; private set; }

    public IReadOnlyList<BundleLedgerSummary> Ledgers => _ledgers;

    /// <summary>
    /// Where the event falls: a problem if it belongs to no part, to a later part, or comes too early; true if it
    /// comes later than expected (then <see cref="Skipped"/> names the problem, with one line of look-ahead).
    /// </summary>
    public bool IsAhead(string ledgerId, long sequence)
    {
        var current = Current ?? throw BundleProblems.Fail(BundleProblemKind.ManifestMismatch, ledgerId, sequence, "An event follows the last ledger the manifest lists.");
        if (ledgerId != current.LedgerId)
        {
            throw manifest.Parts.Any(p => p.LedgerId == ledgerId) ? StopsEarly(current) :
                BundleProblems.Fail(BundleProblemKind.ManifestMismatch, ledgerId, sequence, "An event belongs to a ledger the manifest does not list.");
        }
        if (sequence < Expected)
        {
            throw BundleProblems.Fail(BundleProblemKind.ReorderedEvents, ledgerId, sequence, $"Event {sequence} comes after event {Expected - 1}: the events are out of order.");
        }
        return sequence > Expected;
    }

    /// <summary>An event came later than expected: a swap if the expected one comes next, else a deletion.</summary>
    public BundleProblemException Skipped(string ledgerId, long sequence, long? nextSequence) =>
        nextSequence == Expected
            ? BundleProblems.Fail(BundleProblemKind.ReorderedEvents, ledgerId, Expected, $"Events {Expected} and {sequence} are swapped: the events are out of order.")
            : BundleProblems.Fail(BundleProblemKind.MissingEvent, ledgerId, Expected, $"Event {Expected} is missing (the next event is {sequence}).");

    /// <summary>The event at <see cref="Expected"/> of the current part.</summary>
    public void Accept(BundleEvent e)
    {
        var part = Current!;
        var (header, sequence) = (e.Header, e.Header.Sequence);
        if (_previous is null)
        {
            CheckAnchor(part, e);
        }
        else if (e.PrevHash != _previous)
        {
            throw BundleProblems.Fail(BundleProblemKind.ChainBroken, header.LedgerId, sequence, $"Chain broken at sequence {sequence}: the event does not link to event {sequence - 1}.");
        }
        var computed = ChainHash.ToHex(ChainHash.Next(Convert.FromHexString(e.PrevHash), CanonicalEvent.Encode(header, e.Clear, e.Commitments)));
        if (computed != e.Hash)
        {
            throw BundleProblems.Fail(BundleProblemKind.ChainBroken, header.LedgerId, sequence,
                $"Chain broken at sequence {sequence}: the event's content does not match its hash (a field, a time or a header was changed).");
        }
        if (header.Type == EventTypes.Checkpoint)
        {
            CheckInnerCheckpoint(e);
            _checkpointsInChain++;
        }
        _ring[sequence % HashWindow] = (sequence, e.Hash);
        _previous = e.Hash;
        _partEvents++;
        _partInRange += e.InRange ? 1 : 0;
        Events++;

        if (sequence != part.Last)
        {
            Expected++;
            return;
        }
        if (e.Hash != part.HeadHash)
        {
            throw BundleProblems.Fail(BundleProblemKind.ChainBroken, header.LedgerId, sequence, "Chain broken: the last event's hash is not the head the checkpoint signed.");
        }
        BundleCounts.CheckPart(part, _partEvents, _partInRange);
        _ledgers.Add(new BundleLedgerSummary(part.LedgerId, part.First, part.Last, part.Anchor, _partEvents, _partInRange, part.SignedAt, part.KeyId, _checkpointsInChain));
        _index++;
        Expected = Current?.First ?? 0;
        _previous = null;
        _partEvents = _partInRange = _checkpointsInChain = 0;
        Array.Clear(_ring);
    }

    /// <summary>At the end line: every part ran to its signed head.</summary>
    public void CheckComplete()
    {
        if (Current is { } part)
        {
            throw StopsEarly(part);
        }
    }

    /// <summary>The file ended without its end line.</summary>
    public BundleProblemException Truncated() => Current is { } part
        ? BundleProblems.Fail(BundleProblemKind.Truncated, part.LedgerId, Expected, $"The file ends before event {Expected} of ledger {part.LedgerId} (the signed head is at {part.Last}).")
        : BundleProblems.Fail(BundleProblemKind.Truncated, null, null, "The file ends before its end line.");

    private BundleProblemException StopsEarly(BundlePart part) =>
        BundleProblems.Fail(BundleProblemKind.Gap, part.LedgerId, Expected, $"Ledger {part.LedgerId} stops before event {Expected}; its signed head is at {part.Last}.");

    private void CheckAnchor(BundlePart part, BundleEvent e)
    {
        if (part.First == 1)
        {
            if (e.PrevHash != ChainHash.ToHex(ChainHash.Genesis))
            {
                throw BundleProblems.Fail(BundleProblemKind.Gap, part.LedgerId, 1, "The first event of the ledger does not start from the genesis hash.");
            }
            return;
        }
        // Anchored on a signed head: the first event is a checkpoint over exactly the hash it links to.
        if (e.Header.Type != EventTypes.Checkpoint || e.Clear.GetValueOrDefault("headHash") != e.PrevHash ||
            e.Clear.GetValueOrDefault("upToSequence") != (e.Header.Sequence - 1).ToString(CultureInfo.InvariantCulture))
        {
            throw BundleProblems.Fail(BundleProblemKind.Gap, part.LedgerId, e.Header.Sequence, "The ledger's part starts mid-chain without a checkpoint that signs where it starts.");
        }
        keys.VerifyCheckpointEvent(e.Header, e.Clear);
    }

    private void CheckInnerCheckpoint(BundleEvent e)
    {
        var header = e.Header;
        keys.VerifyCheckpointEvent(header, e.Clear);
        if (!long.TryParse(e.Clear.GetValueOrDefault("upToSequence"), NumberStyles.None, CultureInfo.InvariantCulture, out var upTo) || upTo >= header.Sequence)
        {
            throw BundleProblems.Fail(BundleProblemKind.Malformed, header.LedgerId, header.Sequence, "A checkpoint event names no earlier sequence.");
        }
        var signed = e.Clear.GetValueOrDefault("headHash");
        var known = upTo == header.Sequence - 1 ? e.PrevHash : _ring[upTo % HashWindow] is var slot && slot.Sequence == upTo ? slot.Hash : null;
        if (known is not null && known != signed)
        {
            throw BundleProblems.Fail(BundleProblemKind.ChainBroken, header.LedgerId, upTo, $"Chain broken at sequence {upTo}: the checkpoint at {header.Sequence} signed another hash for it.");
        }
    }
}

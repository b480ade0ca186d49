using WelfareAudit.Core.Audit.Verification;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// The witness's decision (docs/ledger-format.md §15.4), run on a bundle that has verified: for each ledger,
/// the part must hold the whole history (from sequence 1), and if this witness cosigned the ledger before,
/// the chain must still hold, at the sequence cosigned then, the head hash cosigned then (a chain that is
/// shorter, or differs there, was rolled back or rewritten). Then it signs each ledger's checkpoint note
/// (tree size = last sequence, RFC 6962 root over the event hashes, the head hash) as of <c>timestamp</c>.
/// Nothing is signed when any ledger is refused.
/// </summary>
public static class WitnessCosigner
{
    public static async Task<CosignOutcome> CosignAsync(Stream verifiedBundle, WitnessSigningKey key, string practice,
        IReadOnlyDictionary<string, WitnessStateEntry> state, long timestamp, CancellationToken cancellationToken)
    {
        var chains = new Dictionary<string, Chain>(StringComparer.Ordinal);
        var (_, parts) = await BundleChains.ReadAsync(verifiedBundle, e =>
        {
            var ledgerId = e.Header.LedgerId;
            if (!chains.TryGetValue(ledgerId, out var chain))
            {
                chains[ledgerId] = chain = new Chain(state.GetValueOrDefault(WitnessOrigin.For(practice, ledgerId)));
            }
            chain.Accept(e);
        }, cancellationToken);

        var refusals = new List<CosignRefusal>();
        var entries = new List<CosignatureEntry>();
        var newState = new Dictionary<string, WitnessStateEntry>(state, StringComparer.Ordinal);
        foreach (var part in parts)
        {
            var origin = WitnessOrigin.For(practice, part.LedgerId);
            var chain = chains.GetValueOrDefault(part.LedgerId) ?? new Chain(state.GetValueOrDefault(origin));
            if (part.First != 1)
            {
                refusals.Add(new(part.LedgerId, part.First, $"the bundle holds this ledger from sequence {part.First} only: a witness cosigns whole histories (an export without 'from')"));
                continue;
            }
            if (chain.Refusal(part.LedgerId) is { } refusal)
            {
                refusals.Add(refusal);
                continue;
            }
            var note = new CheckpointNote(origin, chain.Tree.Size, chain.Tree.Root(), chain.LastHash!);
            var signature = Cosignature.Sign(key, note.Body, timestamp);
            var line = signature.ToLine();
            entries.Add(new CosignatureEntry
            {
                LedgerId = part.LedgerId,
                Origin = origin,
                TreeSize = note.TreeSize,
                RootHash = note.RootBase64,
                HeadHash = note.HeadHash,
                Signature = line[(line.LastIndexOf(' ') + 1)..^1],
            });
            newState[origin] = new WitnessStateEntry(note.TreeSize, note.HeadHash, note.RootBase64, timestamp);
        }
        var prefix = practice + WitnessOrigin.Marker;
        var inBundle = parts.Select(p => WitnessOrigin.For(practice, p.LedgerId)).ToHashSet(StringComparer.Ordinal);
        var missing = state.Keys.Where(o => o.StartsWith(prefix, StringComparison.Ordinal) && !inBundle.Contains(o)).Order(StringComparer.Ordinal).ToList();
        return refusals.Count > 0
            ? new CosignOutcome(null, state, refusals, missing)
            : new CosignOutcome(new CosignatureFile { Format = CosignatureFile.FormatName, Version = CosignatureFile.CurrentVersion, Witness = key.Public.ToText(), Cosignatures = entries },
                newState, [], missing);
    }

    /// <summary>One ledger's chain as it streams by: its Merkle tree, and its hashes from the sequence cosigned before on.</summary>
    private sealed class Chain(WitnessStateEntry? before)
    {
        private readonly List<string> _since = [];
        private string? _rootThen;

        public MerkleTreeBuilder Tree { get; } = new();

        public string? LastHash { get; private set; }

        public void Accept(ChainEvent e)
        {
            Tree.Append(Convert.FromHexString(e.Hash));
            LastHash = e.Hash;
            if (before is null || Tree.Size < before.TreeSize)
            {
                return;
            }
            _since.Add(e.Hash);
            if (Tree.Size == before.TreeSize)
            {
                _rootThen = Convert.ToBase64String(Tree.Root());
            }
        }

        /// <summary>
        /// The <c>--extends</c> rule (<see cref="ExtendsRule"/>, docs/ledger-format.md §16), with the head this witness
        /// cosigned last as the earlier history: the new chain must hold that hash at that sequence. The root over the
        /// same events is compared too (it cannot differ when the hashes agree, unless the state file was edited).
        /// </summary>
        public CosignRefusal? Refusal(string ledgerId)
        {
            if (before is null)
            {
                return null;
            }
            var old = LedgerHistory.HeadOnly(ledgerId, before.TreeSize, before.HeadHash);
            var now = _since.Count == 0
                ? LedgerHistory.HeadOnly(ledgerId, Tree.Size, LastHash ?? ChainHash.ToHex(ChainHash.Genesis))
                : LedgerHistory.Create(ledgerId, before.TreeSize + 1, _since);
            var extension = ExtendsRule.Check(old, now);
            var when = Timestamps.ToText(WitnessCosignatures.TimeOf(before.Timestamp));
            if (!extension.Ok)
            {
                return new(ledgerId, extension.Sequence ?? before.TreeSize,
                    $"{extension.Kind} against the head this witness cosigned at sequence {before.TreeSize} on {when}: {extension.Detail}");
            }
            return _rootThen == before.RootHash ? null
                : new(ledgerId, before.TreeSize, $"the Merkle root over events 1..{before.TreeSize} is not the one this witness cosigned on {when}");
        }
    }
}

using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// <c>verify --witness</c> (docs/audit.md, "Witness"), run on a bundle that has verified: every ledger of the
/// bundle must carry at least one <see cref="WitnessCosigned"/> event by the witness key, each such event must
/// verify (cosignature/v1 over the checkpoint note its fields make, for this ledger, of an earlier head), and
/// the chain must agree with it: the hash at the cosigned sequence is the cosigned head hash, and when the part
/// starts at sequence 1 the RFC 6962 root over hashes 1..size is the cosigned root. A cosigned sequence before
/// the part (a dated export) can only be counted, not checked. Two passes over the file: one finds the
/// cosignatures, the next recomputes the chain at their sequences; memory grows with the cosignatures only.
/// </summary>
public static class WitnessBundleCheck
{
    public static async Task<WitnessReport> CheckAsync(Func<Stream> openBundle, byte[] witnessPublicKey, string? witnessName, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, List<(long Sequence, CheckpointNote Note, long Timestamp)>>(StringComparer.Ordinal);
        WitnessProblem? problem = null;
        DateTimeOffset generatedAt;
        IReadOnlyList<BundleChainPart> parts;
        await using (var first = openBundle())
        {
            (generatedAt, parts) = await BundleChains.ReadAsync(first, e =>
            {
                if (problem is not null || e.Header.Type != EventTypes.WitnessCosigned)
                {
                    return;
                }
                // Read field by field, not through the codec: a bundle is untrusted, and its owner can sign any fields.
                var key = e.Clear.TryGetValue("witness", out var witnessText) ? NoteVerifierKey.TryParse(witnessText, out _) : null;
                if (key is null || !key.PublicKey.AsSpan().SequenceEqual(witnessPublicKey) || (witnessName is not null && key.Name != witnessName))
                {
                    return; // another witness's: signed-note verifiers ignore unknown keys
                }
                long? size = e.Clear.TryGetValue("treeSize", out var sizeText) && long.TryParse(sizeText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
                var verdict = WitnessCosignatures.Check(key, e.Header.LedgerId, e.Clear.GetValueOrDefault("origin"), size,
                    e.Clear.GetValueOrDefault("rootHash"), e.Clear.GetValueOrDefault("headHash"), e.Clear.GetValueOrDefault("signature"));
                if (!verdict.Ok)
                {
                    problem = new(WitnessProblemKind.BadCosignature, e.Header.LedgerId, e.Header.Sequence,
                        $"the WitnessCosigned event at sequence {e.Header.Sequence}: {verdict.Field} {verdict.Error}");
                }
                else if (verdict.Note!.TreeSize >= e.Header.Sequence)
                {
                    // A valid cosignature of more events than precede it: events before it were removed.
                    problem = new(WitnessProblemKind.WitnessMismatch, e.Header.LedgerId, verdict.Note.TreeSize,
                        $"the WitnessCosigned event at sequence {e.Header.Sequence} cosigns {verdict.Note.TreeSize} events, more than the chain now holds before it: the history was rewritten after the witness saw it");
                }
                else
                {
                    (found.TryGetValue(e.Header.LedgerId, out var list) ? list : found[e.Header.LedgerId] = []).Add((e.Header.Sequence, verdict.Note!, verdict.Timestamp!.Value));
                }
            }, cancellationToken);
        }
        if (problem is not null)
        {
            return new WitnessReport(problem, generatedAt, []);
        }
        if (parts.FirstOrDefault(p => !found.ContainsKey(p.LedgerId)) is { } bare)
        {
            return new WitnessReport(new(WitnessProblemKind.WitnessMissing, bare.LedgerId, null,
                "the ledger carries no cosignature by the witness key: the witness never cosigned it, or its WitnessCosigned events were removed"), generatedAt, []);
        }

        // Pass 2: the chain at every cosigned sequence (its hash; its root when the part starts at 1).
        var wanted = found.ToDictionary(f => f.Key, f => f.Value.Select(c => c.Note.TreeSize).ToHashSet(), StringComparer.Ordinal);
        var seen = new Dictionary<(string, long), (string Hash, string? Root)>();
        var trees = new Dictionary<string, MerkleTreeBuilder>(StringComparer.Ordinal);
        var firstOf = parts.ToDictionary(p => p.LedgerId, p => p.First, StringComparer.Ordinal);
        await using (var second = openBundle())
        {
            await BundleChains.ReadAsync(second, e =>
            {
                var id = e.Header.LedgerId;
                var sizes = wanted.GetValueOrDefault(id);
                if (sizes is null)
                {
                    return;
                }
                var genesis = firstOf[id] == 1;
                if (e.Header.Sequence == firstOf[id] && sizes.Contains(e.Header.Sequence - 1))
                {
                    seen[(id, e.Header.Sequence - 1)] = (e.PrevHash, null);
                }
                MerkleTreeBuilder? tree = null;
                if (genesis && !trees.TryGetValue(id, out tree))
                {
                    trees[id] = tree = new MerkleTreeBuilder();
                }
                tree?.Append(Convert.FromHexString(e.Hash));
                if (sizes.Contains(e.Header.Sequence))
                {
                    seen[(id, e.Header.Sequence)] = (e.Hash, tree is null ? null : Convert.ToBase64String(tree.Root()));
                }
            }, cancellationToken);
        }

        var ledgers = new List<WitnessLedgerSummary>();
        foreach (var part in parts)
        {
            var cosignatures = found[part.LedgerId];
            int checkedCount = 0, before = 0;
            foreach (var (sequence, note, _) in cosignatures.OrderBy(c => c.Note.TreeSize))
            {
                if (!seen.TryGetValue((part.LedgerId, note.TreeSize), out var chain))
                {
                    before++;
                    continue;
                }
                if (chain.Hash != note.HeadHash || (chain.Root is not null && chain.Root != note.RootBase64))
                {
                    var what = chain.Hash != note.HeadHash ? "hash" : "Merkle root";
                    return new WitnessReport(new(WitnessProblemKind.WitnessMismatch, part.LedgerId, note.TreeSize,
                        $"the chain's {what} at sequence {note.TreeSize} is not the one the witness cosigned (WitnessCosigned event at sequence {sequence}): the history was rewritten after the witness saw it"), generatedAt, []);
                }
                checkedCount++;
            }
            var newest = cosignatures.MaxBy(c => (c.Note.TreeSize, c.Timestamp));
            ledgers.Add(new WitnessLedgerSummary(part.LedgerId, cosignatures.Count, checkedCount, before, newest.Note.TreeSize, WitnessCosignatures.TimeOf(cosignatures.Max(c => c.Timestamp))));
        }
        return new WitnessReport(null, generatedAt, ledgers);
    }
}

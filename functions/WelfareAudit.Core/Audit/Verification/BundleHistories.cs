using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>
/// The chain hashes a bundle shows, per ledger (<see cref="LedgerHistory"/>), for the <c>--extends</c> rule. Read in a
/// second pass over a bundle that <see cref="AuditBundleVerifier"/> has accepted: this reader checks only that the
/// events follow the manifest's parts and link, and throws <see cref="InvalidDataException"/> otherwise (a bundle it is
/// given unverified). Memory: 32 bytes per event.
/// </summary>
public sealed record BundleHistories(IReadOnlyList<LedgerHistory> Ledgers, IReadOnlyList<BundleExcludedLedger> Excluded, DateTimeOffset GeneratedAt)
{
    public static async Task<BundleHistories> ReadAsync(Stream bundle, CancellationToken cancellationToken)
    {
        var lines = new BundleLines(bundle);
        try
        {
            BundleManifest manifest;
            using (var manifestLine = await lines.NextAsync(cancellationToken) ?? throw Unverified())
            {
                manifest = ManifestStage.Read(manifestLine);
            }
            using (await lines.NextAsync(cancellationToken) ?? throw Unverified())
            {
                // The manifest's signature: the verifier checked it.
            }
            var histories = new List<LedgerHistory>(manifest.Parts.Count);
            foreach (var part in manifest.Parts)
            {
                var hashes = new byte[checked((int)(part.Last - part.First + 2) * ChainHash.Size)];
                for (var sequence = part.First; sequence <= part.Last; sequence++)
                {
                    using var line = await lines.NextAsync(cancellationToken) ?? throw Unverified();
                    var e = BundleEvent.Read(line);
                    var at = (int)(sequence - part.First) * ChainHash.Size;
                    if (e.Header.LedgerId != part.LedgerId || e.Header.Sequence != sequence ||
                        (sequence > part.First && !Convert.FromHexString(e.PrevHash).AsSpan().SequenceEqual(hashes.AsSpan(at, ChainHash.Size))))
                    {
                        throw Unverified();
                    }
                    Convert.FromHexString(e.PrevHash).CopyTo(hashes, at);
                    Convert.FromHexString(e.Hash).CopyTo(hashes, at + ChainHash.Size);
                }
                if (Convert.ToHexStringLower(hashes.AsSpan(hashes.Length - ChainHash.Size)) != part.HeadHash)
                {
                    throw Unverified();
                }
                histories.Add(LedgerHistory.FromBytes(part.LedgerId, part.First, hashes, part.CheckpointSequence));
            }
            return new BundleHistories(histories, manifest.Excluded, manifest.GeneratedAt);
        }
        catch (BundleProblemException)
        {
            throw Unverified();
        }
    }

    private static InvalidDataException Unverified() =>
        new("The bundle does not read as the verifier accepted it: verify it (AuditBundleVerifier) before comparing it.");
}

using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Audit.Verification;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// Reads a bundle that <see cref="AuditBundleVerifier"/> has verified once more, line by line, handing
/// each event to the caller (memory does not grow with the bundle). It checks nothing itself: run it only on
/// a bundle that verified, with the same key.
/// </summary>
public static class BundleChains
{
    public static async Task<(DateTimeOffset GeneratedAt, IReadOnlyList<BundleChainPart> Parts)> ReadAsync(
        Stream bundle, Action<ChainEvent> onEvent, CancellationToken cancellationToken)
    {
        var lines = new BundleLines(bundle);
        BundleManifest manifest;
        using (var first = await lines.NextAsync(cancellationToken) ?? throw new InvalidDataException("The bundle is empty."))
        {
            manifest = ManifestStage.Read(first);
        }
        var parts = manifest.Parts.Select(p => new BundleChainPart(p.LedgerId, p.First, p.Last)).ToList();
        while (await lines.NextAsync(cancellationToken) is { } line)
        {
            using (line)
            {
                if (line.Kind() == BundleFormat.Event)
                {
                    var e = BundleEvent.Read(line);
                    onEvent(new ChainEvent(e.Header, e.Clear, e.PrevHash, e.Hash));
                }
            }
        }
        return (manifest.GeneratedAt, parts);
    }
}

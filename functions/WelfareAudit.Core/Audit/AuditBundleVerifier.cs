using WelfareAudit.Core.Audit.Verification;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// Verifies a bundle offline, from the file alone (and, preferably, the practice's public key obtained
/// separately), in stages a reader can follow, each its own type under <c>Verification/</c>:
/// <list type="number">
/// <item><see cref="BundleLines"/>, framing: numbered lines of strict UTF-8 JSON (<c>Malformed</c>, <c>Truncated</c>);</item>
/// <item><see cref="ManifestStage"/>: the manifest read strictly, and its ledgers consistent;</item>
/// <item><see cref="BundleKeys"/>: the manifest's signature, each ledger's signed head and every checkpoint event, by the pinned key;</item>
/// <item><see cref="ChainStage"/>: each ledger's chain, anchored, linked, hashed, in order, up to its signed head;</item>
/// <item><see cref="DisclosureStage"/>: the manifest's range and disclosure promises, event by event;</item>
/// <item><see cref="KeyHistoryStage"/>: every signing key the chain, its head or the manifest uses was announced (or is the first);</item>
/// <item><see cref="BundleCounts"/>: the manifest's and the end line's totals.</item>
/// </list>
/// Every line is read strictly first (<see cref="BundleJsonObject"/>), then checked. The first problem found
/// is reported. Reads one line at a time: memory does not grow with the bundle.
/// </summary>
public static class AuditBundleVerifier
{
    public const int ProgressEvery = 10_000;

    public static async Task<BundleVerification> VerifyAsync(Stream bundle, string? pinnedPublicKeyPem, Action<long>? progress, CancellationToken cancellationToken)
    {
        var run = new Run(pinnedPublicKeyPem is not null);
        try
        {
            await run.VerifyAsync(bundle, pinnedPublicKeyPem, progress, cancellationToken);
            return run.Result(null);
        }
        catch (BundleProblemException p)
        {
            return run.Result(p.Problem);
        }
    }

    /// <summary>One verification: the stages in order, and what is known so far for the result.</summary>
    private sealed class Run(bool pinned)
    {
        private BundleManifest? _manifest;
        private ChainStage? _chains;

        public async Task VerifyAsync(Stream bundle, string? pinnedPem, Action<long>? progress, CancellationToken ct)
        {
            var lines = new BundleLines(bundle);
            using (var manifestLine = await lines.NextAsync(ct) ?? throw BundleProblems.Fail(BundleProblemKind.Truncated, null, null, "The file is empty."))
            {
                _manifest = ManifestStage.Read(manifestLine);
            }
            var manifest = _manifest;
            using var keys = BundleKeys.Import(manifest, pinnedPem);
            using (var signatureLine = await lines.NextAsync(ct) ?? throw BundleProblems.Fail(BundleProblemKind.Truncated, null, null, "The file ends after the manifest."))
            {
                keys.AuthenticateManifest(manifest, signatureLine);
            }
            foreach (var part in manifest.Parts)
            {
                ManifestStage.CheckPart(manifest, part);
                keys.VerifyHead(part);
            }
            BundleCounts.CheckManifest(manifest);

            var chains = _chains = new ChainStage(manifest, keys);
            var disclosure = new DisclosureStage(manifest);
            var keyHistory = new KeyHistoryStage(manifest);
            while (true)
            {
                using var line = await lines.NextAsync(ct) ?? throw chains.Truncated();
                var kind = line.Kind();
                if (kind == BundleFormat.Error)
                {
                    throw MarkedIncomplete(line);
                }
                if (kind == BundleFormat.End)
                {
                    var end = BundleCounts.ReadEnd(line);
                    chains.CheckComplete();
                    BundleCounts.CheckEnd(end, manifest, chains.Events);
                    if (!await lines.AtEndAsync(ct))
                    {
                        throw BundleProblems.Fail(BundleProblemKind.Malformed, null, null, "There is content after the end line.");
                    }
                    return;
                }
                if (kind != BundleFormat.Event)
                {
                    throw line.At.Malformed($"Line {line.Number} is neither an event nor the end.");
                }

                var e = BundleEvent.Read(line);
                if (chains.IsAhead(e.Header.LedgerId, e.Header.Sequence))
                {
                    // One line of look-ahead tells a swap (the expected event comes next) from a deletion.
                    throw chains.Skipped(e.Header.LedgerId, e.Header.Sequence, await lines.PeekSequenceAsync(ct));
                }
                disclosure.Check(e);
                chains.Accept(e);
                keyHistory.Accept(e);
                if (progress is not null && chains.Events % ProgressEvery == 0)
                {
                    progress(chains.Events);
                }
            }
        }

        public BundleVerification Result(BundleProblem? problem) =>
            new(problem, _manifest?.GeneratedBy, _manifest?.GeneratedAt, _manifest?.ManifestKeyId, pinned, _chains?.Events ?? 0, _chains?.Ledgers ?? [], _manifest?.Excluded);

        private static BundleProblemException MarkedIncomplete(BundleLine line)
        {
            var error = BundleJsonObject.Of(line.Root, line.At, "The error line", ["kind", "ledgerId", "sequence", "detail"]);
            return (line.At with { LedgerId = error.String("ledgerId"), Sequence = error.Integer("sequence") }).Fail(BundleProblemKind.MarkedIncomplete, error.String("detail"));
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Audit.Verification;

namespace WelfareAudit.Core.Anchors;

/// <summary>
/// Checks a bundle that has already verified (<see cref="AuditBundleVerifier"/>) against anchored checkpoints kept
/// apart from it (<c>welfare-audit verify BUNDLE --anchors DIR</c>), offline, by the rule of docs/ledger-format.md §14.5:
/// each anchor must be an anchor (name and bytes canonical, the name stating the content) whose signature verifies
/// under the bundle's key of its <c>signingKeyId</c> (when the bundle carries that key; otherwise it is still compared,
/// and listed in <see cref="BundleAnchorReport.UncheckedSignatures"/>); then, per ledger of the bundle, a different hash at an anchored sequence is a fork, and a
/// part that ends before a sequence anchored before the part's own checkpoint was signed is a rollback; a ledger
/// anchored before the export that is neither a part nor excluded is missing. Reads the bundle once more, one line
/// at a time, keeping only the hashes at anchored sequences.
/// </summary>
public static class BundleAnchorCheck
{
    public static async Task<BundleAnchorReport> CheckAsync(Stream bundle, BundleVerification verified, IEnumerable<AnchorFile> files, CancellationToken cancellationToken)
    {
        if (!verified.Ok || verified.GeneratedAt is not { } generatedAt)
        {
            throw new ArgumentException("Only a bundle that verified is checked against anchors.", nameof(verified));
        }
        var findings = new List<BundleProblem>();
        var skipped = new List<(string, string)>();
        var uncheckedSignatures = new List<string>();
        var lines = new BundleLines(bundle);
        Dictionary<string, ECDsa> keys;
        using (var manifest = await lines.NextAsync(cancellationToken) ?? throw new ArgumentException("The bundle is empty.", nameof(bundle)))
        {
            keys = ReadKeys(manifest.Root);
        }
        try
        {
            // 1. Each anchor on its own: well formed, named by its content, signed by the bundle's key of its id.
            var anchors = new List<CheckpointAnchor>();
            foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                if (!AnchorName.TryParse(file.Name, out var name))
                {
                    skipped.Add((file.Name, "not an anchor's name"));
                    continue;
                }
                var anchor = CheckpointAnchor.TryParse(file.Content, out var error);
                if (anchor is null || anchor.Name != name)
                {
                    findings.Add(Finding(BundleProblemKind.BadAnchor, name, anchor is null ? error : "The blob's content states another ledger, sequence or head than its name."));
                    continue;
                }
                if (!keys.TryGetValue(anchor.SigningKeyId, out var key))
                {
                    // Still compared: what makes an anchor count is that nobody can delete or overwrite it, and a
                    // new key must not hide the anchors signed with an older one. A forged anchor can only raise a
                    // false alarm, never hide a rewrite.
                    uncheckedSignatures.Add(file.Name);
                }
                else if (!anchor.SignatureVerifies(key))
                {
                    findings.Add(Finding(BundleProblemKind.BadAnchor, name, "The anchored checkpoint's signature does not verify under the bundle's key of that id."));
                    continue;
                }
                anchors.Add(anchor);
            }

            // 2. Per ledger of the bundle: the anchors that can be compared with its part.
            var parts = verified.Ledgers.ToDictionary(l => l.LedgerId, StringComparer.Ordinal);
            var excluded = verified.ExcludedLedgers.Select(x => x.LedgerId).ToHashSet(StringComparer.Ordinal);
            var compared = new Dictionary<string, List<CheckpointAnchor>>(StringComparer.Ordinal);
            var missing = new Dictionary<string, List<AnchorName>>(StringComparer.Ordinal);
            foreach (var a in anchors)
            {
                if (parts.TryGetValue(a.LedgerId, out var part))
                {
                    if (a.UpToSequence < part.FirstSequence)
                    {
                        skipped.Add((a.Name.BlobName, "signs a sequence before the bundle's part of the ledger"));
                    }
                    else if (a.UpToSequence > part.LastSequence && a.SignedAt >= part.CheckpointSignedAt)
                    {
                        skipped.Add((a.Name.BlobName, "signed after the export"));
                    }
                    else
                    {
                        Add(compared, a.LedgerId, a);
                    }
                }
                else if (excluded.Contains(a.LedgerId))
                {
                    skipped.Add((a.Name.BlobName, "its ledger was left out of the export as failing verification (named in the bundle)"));
                }
                else if (a.SignedAt < generatedAt)
                {
                    Add(missing, a.LedgerId, a.Name);
                }
                else
                {
                    skipped.Add((a.Name.BlobName, "signed after the export"));
                }
            }

            // 3. The bundle's hashes at the anchored sequences, from one more pass over its event lines.
            var wanted = compared.ToDictionary(c => c.Key, c => c.Value.Select(a => a.UpToSequence).ToHashSet(), StringComparer.Ordinal);
            var hashes = compared.Keys.ToDictionary(k => k, _ => new Dictionary<long, string>(), StringComparer.Ordinal);
            while (await lines.NextAsync(cancellationToken) is { } line)
            {
                using (line)
                {
                    var root = line.Root;
                    if (root.GetProperty("kind").GetString() == BundleFormat.Event &&
                        root.GetProperty("ledgerId").GetString() is { } ledgerId && wanted.TryGetValue(ledgerId, out var sequences) &&
                        sequences.Contains(root.GetProperty("sequence").GetInt64()))
                    {
                        hashes[ledgerId][root.GetProperty("sequence").GetInt64()] = root.GetProperty("hash").GetString()!;
                    }
                }
            }
            foreach (var (ledgerId, list) in compared.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                var part = parts[ledgerId];
                foreach (var f in AnchorComparison.Compare(list.Select(a => a.Name), part.FirstSequence, part.LastSequence, hashes[ledgerId]))
                {
                    findings.Add(Finding(Enum.Parse<BundleProblemKind>(f.Kind.ToString()), f.Anchor, f.Detail));
                }
            }
            foreach (var (_, names) in missing.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                var f = AnchorComparison.Missing(names);
                findings.Add(Finding(BundleProblemKind.MissingLedger, f.Anchor,
                    $"Ledger {f.Anchor.LedgerId} was anchored before the export (up to sequence {f.Anchor.Sequence.ToString(CultureInfo.InvariantCulture)}, {f.Anchor.BlobName}) but the bundle neither holds it nor names it as excluded."));
            }
            return new BundleAnchorReport(findings, compared.Sum(c => c.Value.Count), skipped, uncheckedSignatures);
        }
        finally
        {
            foreach (var key in keys.Values)
            {
                key.Dispose();
            }
        }
    }

    private static BundleProblem Finding(BundleProblemKind kind, AnchorName anchor, string detail) =>
        new(kind, anchor.LedgerId, anchor.Sequence, detail) { Anchor = anchor.BlobName };

    private static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }
        list.Add(value);
    }

    /// <summary>The manifest's public keys by id (the manifest has verified, so its keys are the bundle's).</summary>
    private static Dictionary<string, ECDsa> ReadKeys(JsonElement manifest)
    {
        var keys = new Dictionary<string, ECDsa>(StringComparer.Ordinal);
        foreach (var k in manifest.GetProperty("signingKeys").EnumerateArray())
        {
            keys[k.GetProperty("keyId").GetString()!] = CheckpointStatement.ImportPublicKey(k.GetProperty("publicKey").GetString()!);
        }
        return keys;
    }
}

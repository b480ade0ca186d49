using System.Text.Json;

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>
/// Stage 2, the manifest: reads line 1 strictly (docs/ledger-format.md §13), then, once the keys stage has
/// authenticated it, checks that its ledgers are consistent (each listed once; range, count, anchor and
/// checkpoint agreeing).
/// </summary>
internal static class ManifestStage
{
    private static readonly string[] Members =
        ["kind", "format", "version", "exportId", "generatedAt", "generatedBy", "range", "withheld", "manifestKeyId", "signingKeys", "ledgers", "counts"];

    public static BundleManifest Read(BundleLine line)
    {
        var at = line.At;
        var root = line.Root;
        // Kind, format and version first: a later version may have other members, and is refused as a version.
        if (root.ValueKind != JsonValueKind.Object || !Is(root, "kind", BundleFormat.Manifest) || !Is(root, "format", BundleFormat.Name))
        {
            throw at.Malformed("The first line is not a welfare-audit bundle manifest.");
        }
        if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt64(out var v) || v != BundleFormat.Version)
        {
            throw at.Malformed($"Unsupported bundle version (this verifier reads version {BundleFormat.Version}).");
        }
        var m = BundleJsonObject.Of(root, at, "The manifest", Members, ["excluded"]);
        m.String("exportId");

        var keys = new List<(string, string)>();
        foreach (var element in m.Array("signingKeys"))
        {
            var k = BundleJsonObject.Of(element, at, "A signing key of the manifest", ["keyId", "publicKey"]);
            var id = k.String("keyId");
            if (keys.Any(key => key.Item1 == id))
            {
                throw at.Malformed($"The manifest lists the signing key '{id}' twice.");
            }
            keys.Add((id, k.String("publicKey")));
        }

        var withholdsClientRef = false;
        foreach (var w in m.Array("withheld"))
        {
            if (BundleJsonObject.Text(w, at, "An entry of 'withheld'") != BundleFormat.ClientRef || withholdsClientRef)
            {
                throw at.Malformed($"'withheld' may name '{BundleFormat.ClientRef}' once, and nothing else.");
            }
            withholdsClientRef = true;
        }

        var parts = new List<BundlePart>();
        foreach (var element in m.Array("ledgers"))
        {
            var l = BundleJsonObject.Of(element, at, "A ledger of the manifest", ["ledgerId", "firstSequence", "lastSequence", "anchor", "events", "inRange", "checkpoint"]);
            var c = l.Object("checkpoint", ["sequence", "upToSequence", "headHash", "signedAt", "keyId", "signature"]);
            parts.Add(new BundlePart(l.String("ledgerId"), l.Integer("firstSequence"), l.Integer("lastSequence"), l.String("anchor"), l.Integer("events"), l.Integer("inRange"),
                c.Integer("upToSequence"), c.String("headHash"), c.Time("signedAt"), c.String("keyId"), c.String("signature"), c.Integer("sequence")));
        }
        // Optional: the ledgers the export left out because they failed verification in storage (never empty when present).
        var excluded = new List<BundleExcludedLedger>();
        if (m.Has("excluded"))
        {
            var list = m.Array("excluded");
            if (list.Length == 0)
            {
                throw at.Malformed("'excluded' is present but empty.");
            }
            foreach (var element in list)
            {
                var x = BundleJsonObject.Of(element, at, "An entry of 'excluded'", ["ledgerId", "sequence", "kind"]);
                excluded.Add(new BundleExcludedLedger(x.String("ledgerId"), x.Integer("sequence"), x.String("kind")));
            }
        }
        var range = m.Object("range", ["from", "until"]);
        var counts = m.Object("counts", ["ledgers", "events", "inRange"]);
        return new BundleManifest(line.Text, at, m.Time("generatedAt"), m.String("generatedBy"), range.NullableTime("from"), range.NullableTime("until"),
            withholdsClientRef, m.String("manifestKeyId"), keys, parts, (counts.Integer("ledgers"), counts.Integer("events"), counts.Integer("inRange")), excluded);
    }

    /// <summary>A ledger's part is consistent: listed once, and its range, count, anchor and checkpoint agree.</summary>
    public static void CheckPart(BundleManifest manifest, BundlePart part)
    {
        if (manifest.Parts.TakeWhile(p => !ReferenceEquals(p, part)).Any(p => p.LedgerId == part.LedgerId))
        {
            throw BundleProblems.Fail(BundleProblemKind.ManifestMismatch, part.LedgerId, null, "The manifest lists the ledger twice.");
        }
        if (part.UpTo != part.Last || part.First < 1 || part.Last < part.First || part.Events != part.Last - part.First + 1 ||
            part.Anchor != (part.First == 1 ? "genesis" : "checkpoint"))
        {
            throw BundleProblems.Fail(BundleProblemKind.ManifestMismatch, part.LedgerId, null, "The manifest's sequence range, event count, anchor and checkpoint disagree.");
        }
    }

    private static bool Is(JsonElement root, string name, string value) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.ValueEquals(value);
}

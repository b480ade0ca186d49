namespace WelfareAudit.Core.Audit.Verification;

/// <summary>Stage 6, counts: the manifest's totals agree with its ledgers, each part with its events, the end line with the file.</summary>
internal static class BundleCounts
{
    public static void CheckManifest(BundleManifest manifest)
    {
        if (manifest.Counts.Ledgers != manifest.Parts.Count || manifest.Counts.Events != manifest.Parts.Sum(p => p.Events) ||
            manifest.Counts.InRange != manifest.Parts.Sum(p => p.InRange))
        {
            throw BundleProblems.Fail(BundleProblemKind.ManifestMismatch, null, null, "The manifest's totals disagree with its ledgers.");
        }
    }

    public static void CheckPart(BundlePart part, long events, long inRange)
    {
        if (events != part.Events || inRange != part.InRange)
        {
            throw BundleProblems.Fail(BundleProblemKind.ManifestMismatch, part.LedgerId, null,
                $"The manifest says {part.Events} events ({part.InRange} in range); the bundle holds {events} ({inRange} in range).");
        }
    }

    /// <summary>The end line, read strictly: how many ledgers and events it says the file holds.</summary>
    public static (long Ledgers, long Events) ReadEnd(BundleLine line)
    {
        var end = BundleJsonObject.Of(line.Root, line.At, "The end line", ["kind", "ledgers", "events"]);
        return (end.Integer("ledgers"), end.Integer("events"));
    }

    public static void CheckEnd((long Ledgers, long Events) end, BundleManifest manifest, long events)
    {
        if (end.Ledgers != manifest.Parts.Count || end.Events != events)
        {
            throw BundleProblems.Fail(BundleProblemKind.ManifestMismatch, null, null, "The end line's counts disagree with the events.");
        }
    }
}

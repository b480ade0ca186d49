using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace WelfareAudit.Bench;

/// <summary>The section of docs/performance.md rendered from bench/results/scale.json (<see cref="ScaleBench"/>).</summary>
internal static class ScaleReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly (string Job, string Text, string? Baseline)[] Jobs =
    [
        ("listLedgers", "listing the ledgers (skip scan, one 1-row query per ledger)", null),
        ("reminderSweep", "reminder sweep, the open tenth of the searches due (digests sent, `ReminderSent` appended)", "bareSearchRows"),
        ("reminderSweepNothingDue", "reminder sweep again, nothing due (most of its 96 runs a day)", "bareSearchRows"),
        ("supervisorDigest", "supervisors' digest, first run of the day (counts, sends)", "bareSearchRows"),
        ("supervisorDigestAlreadySent", "supervisors' digest, later run the same day (already sent)", "bareSearchRows"),
        ("dailyCheckpoint", "daily checkpoint (verify every ledger, sign and append a checkpoint)", "bareEventRows"),
        ("exportAllLedgers", "export of all ledgers, bundle (verify, scan, checkpoint, write, `AuditExported`)", "bareEventRows"),
    ];

    public static void Append(StringBuilder md, string resultsDir)
    {
        var path = Path.Combine(resultsDir, "scale.json");
        if (!File.Exists(path))
        {
            return;
        }
        var scale = JsonNode.Parse(File.ReadAllText(path))!;
        var sizes = scale["sizes"]!.AsArray().Select(s => s!).OrderBy(s => (int)s["therapists"]!).ToList();
        if (sizes.Count < 2)
        {
            return;
        }
        var small = sizes[0];
        var large = sizes[^1];
        int N(JsonNode s) => (int)s["therapists"]!;
        var m = (int)scale["searchesPerTherapist"]!;
        var growth = (double)N(large) / N(small);
        JsonNode JobOf(JsonNode size, string name) => size["jobs"]!.AsArray().First(j => (string)j!["job"]! == name)!;
        double Seconds(JsonNode node) => node["seconds"]!.GetValue<double>();

        md.AppendLine("## Jobs over every ledger (issue 14: scale)");
        md.AppendLine();
        md.AppendLine(Inv, $"`WelfareAudit.Bench scale`: {N(small):N0} and {N(large):N0} therapists with {m} searches each ({N(small) * m:N0} and {N(large) * m:N0} searches), each size on a fresh Azurite, logged through `TableLedger` by {large["seed"]!["writers"]} concurrent writers (one per ledger; {large["seed"]!["appendsPerSecond"]!.GetValue<double>():F0} appends/s at the larger size). {scale["openSearchesPerTherapist"]} search(es) per therapist still await discussion, their session passed when the jobs run (an overdue reminder due); the rest are history, discussed with the client (an append each); the clock is a `FakeTimeProvider` (jobs at 09:00 UTC, after the daily time). Requests and the entities storage sent back are counted by pipeline policies on the product's table client.");
        md.AppendLine();
        md.AppendLine("*growth* = (time at the larger size ÷ time at the smaller) ÷ (therapists ratio): 1.00 is linear in the number of therapists. The baseline is a bare query per ledger of the rows the job must read at least (its search rows, or its event rows), in turn as the jobs go, measured before and after the jobs on the same Azurite (the mean). Azurite evaluates every query over the whole table, so on the emulator even the baseline grows faster than linearly; the ratio to the baseline at both sizes and the requests and entities per therapist (exact, independent of the emulator) are the measures of our code.");
        md.AppendLine();
        md.AppendLine(Inv, $"| job | {N(small):N0} × {m} | {N(large):N0} × {m} | growth ({growth:F0}× therapists) | × baseline at {N(small):N0} / {N(large):N0} | requests per therapist | entities read per search | requests per therapist by kind |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var bare in new[] { ("bareSearchRows", "baseline: bare query of each ledger's search rows"), ("bareEventRows", "baseline: bare query of each ledger's event rows") })
        {
            var s = Seconds(small[bare.Item1]!);
            var l = Seconds(large[bare.Item1]!);
            md.AppendLine(Inv, $"| {bare.Item2} | {s:F2} s | {l:F2} s | {l / s / growth:F2} | 1.00 / 1.00 | {(int)large[bare.Item1]!["requests"]! / (double)N(large):F2} | {(long)large[bare.Item1]!["rowsBefore"]! / (double)(N(large) * m):F2} | GET query |");
        }
        foreach (var (job, text, baseline) in Jobs)
        {
            var s = JobOf(small, job);
            var l = JobOf(large, job);
            var vsBaseline = baseline is null ? "—" : string.Create(Inv, $"{Seconds(s) / Seconds(small[baseline]!):F2} / {Seconds(l) / Seconds(large[baseline]!):F2}");
            var kinds = string.Join(", ", l["requestsByKind"]!.AsObject().Select(p => string.Create(Inv, $"{Kind(p.Key)} {p.Value!.GetValue<int>() / (double)N(large):F2}")));
            md.AppendLine(Inv, $"| {text} | {Seconds(s):F2} s | {Seconds(l):F2} s | **{Seconds(l) / Seconds(s) / growth:F2}** | {vsBaseline} | {(int)l["requests"]! / (double)N(large):F2} | {(long)l["entitiesRead"]! / (double)(N(large) * m):F2} | {kinds} |");
        }
        md.AppendLine();
        string Load(JsonNode s, string when) => s["loadAverage"]?[when] is JsonArray a ? a[0]!.GetValue<double>().ToString("F1", Inv) : "?";
        if (sizes.All(s => s["loadAverage"] is not null))
        {
            md.AppendLine(Inv, $"Load average (1 min) at the start and end of each size: {string.Join("; ", sizes.Select(s => $"{N(s):N0} therapists {Load(s, "start")} → {Load(s, "end")}"))} ({Environment.ProcessorCount} cores; the times move with it, the counts do not).");
            md.AppendLine();
        }
        var outcomes = string.Join("; ", Jobs.Select(j => $"{j.Job}: {JobOf(large, j.Job)["outcome"]}"));
        md.AppendLine(Inv, $"What each job did at {N(large):N0} therapists: {outcomes}.");
        md.AppendLine();
    }

    /// <summary>The counter's kinds in storage terms: a POST without keys in the path is an insert.</summary>
    private static string Kind(string counted) => counted switch
    {
        "POST query" => "insert",
        "POST batch" => "transaction",
        "GET entity" => "point read",
        "GET query" => "query",
        "DELETE entity" => "delete",
        "PUT entity" => "update",
        _ => counted,
    };
}

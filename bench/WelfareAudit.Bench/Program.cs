using System.Globalization;
using WelfareAudit.Bench;

// bench/run.sh drives these scenarios; each starts its own Azurite (and local host where needed).
//   latency [samples]          append and POST /api/searches latency vs a bare insert (default 300)
//   throughput [seconds] [rounds]  appends/s at 1, 8, 64 writers vs bare 3-entity transactions/s
//   keyvault [pairs]           Key Vault secret reads per 1,000 requests at steady state (default 1000)
//   listing [searches] [rounds]  GET /api/searches page by page vs a bare query of the same rows (default 1000, 5)
//   scale [searches] [therapists...]  jobs over every ledger at each number of therapists (default 100 10 100)
//   report [mode]              writes docs/performance.md from bench/results/*.json
// A bare number as the first argument is the latency scenario's sample count (the old command line).
var scenario = args.Length > 0 ? args[0] : "latency";
int Int(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
double Double(int index, double fallback) => args.Length > index ? double.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
if (int.TryParse(scenario, NumberStyles.None, CultureInfo.InvariantCulture, out var samples))
{
    return await LatencyBench.RunAsync(samples);
}
return scenario switch
{
    "latency" => await LatencyBench.RunAsync(Int(1, 300)),
    "throughput" => await ThroughputBench.RunAsync(Double(1, 3), Int(2, 3)),
    "keyvault" => await KeyVaultBench.RunAsync(Int(1, 1000)),
    "listing" => await ListingBench.RunAsync(Int(1, 1000), Int(2, 5)),
    "scale" => await ScaleBench.RunAsync(Int(1, 100), args.Length > 2 ? [.. args.Skip(2).Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [10, 100]),
    "report" => await Report.WriteAsync(args.Length > 1 ? args[1] : "quick"),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: WelfareAudit.Bench latency [samples] | throughput [seconds] [rounds] | keyvault [pairs] | listing [searches] [rounds] | scale [searches] [therapists...] | report [mode]");
    return 2;
}

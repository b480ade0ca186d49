using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using WelfareAudit.Bench.Micro;
using WelfareAudit.Testing;

// Micro-benchmarks (BenchmarkDotNet) of the CPU work in an append: field encryption, canonical
// encoding and the chain hash, each next to the bare primitive it is built on (the baseline of its
// category), measured in the same run. `quick` = a short job; `full` = BenchmarkDotNet's default job.
// In-process toolchain: no generated project is built or restored, so nothing is downloaded.
var mode = args.Length > 0 ? args[0] : "quick";
var job = (mode == "full" ? Job.Default : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance);
var resultsDir = Environment.GetEnvironmentVariable("WA_BENCH_RESULTS") is { Length: > 0 } configured
    ? configured
    : Path.Combine(RepositoryRoot.Path, "bench", "results");
var config = ManualConfig.CreateEmpty()
    .AddJob(job)
    .AddLogger(ConsoleLogger.Default)
    .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
    .AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
    .AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub)
    .WithArtifactsPath(Path.Combine(resultsDir, "micro-artifacts"))
    .WithOptions(ConfigOptions.DisableLogFile)
    .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared))
    .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
var summary = BenchmarkRunner.Run<LedgerCryptoBenchmarks>(config);

var rows = summary.Reports.Select(r => new
{
    method = r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
    description = r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
    category = r.BenchmarkCase.Descriptor.Categories.FirstOrDefault() ?? "",
    baseline = r.BenchmarkCase.Descriptor.Baseline,
    meanNs = r.ResultStatistics?.Mean,
    medianNs = r.ResultStatistics?.Median,
    stdDevNs = r.ResultStatistics?.StandardDeviation,
    allocatedBytes = r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase),
}).ToList();
var withRatios = rows.Select(r => new
{
    r.method,
    r.description,
    r.category,
    r.baseline,
    r.meanNs,
    r.medianNs,
    r.stdDevNs,
    r.allocatedBytes,
    baselineMethod = rows.FirstOrDefault(b => b.baseline && b.category == r.category)?.method,
    ratio = rows.FirstOrDefault(b => b.baseline && b.category == r.category) is { meanNs: > 0 } b && r.meanNs is { } m ? m / b.meanNs : null,
}).ToList();
var json = JsonSerializer.Serialize(new
{
    scenario = "micro",
    mode,
    job = mode == "full" ? "Job.Default, in-process" : "Job.ShortRun, in-process",
    machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}",
    benchmarks = withRatios,
}, new JsonSerializerOptions { WriteIndented = true });
Directory.CreateDirectory(resultsDir);
await File.WriteAllTextAsync(Path.Combine(resultsDir, "micro.json"), json);
Console.WriteLine(json);
return rows.All(r => r.meanNs is not null) ? 0 : 1;

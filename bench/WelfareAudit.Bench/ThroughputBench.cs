using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Testing;
using static WelfareAudit.Bench.Shared;

namespace WelfareAudit.Bench;

/// <summary>
/// Appends per second with N concurrent writers, against bare 3-entity transactions per second on one
/// partition with the same number of concurrent writers, on the same Azurite. Each round runs a bare
/// phase and a ledger phase of the same length, in alternating order, so drift hits both alike; the
/// ratio is taken per round and the median reported.
/// </summary>
internal static class ThroughputBench
{
    private sealed record Level(string Name, int Writers, bool OneLedger);

    public static async Task<int> RunAsync(double seconds, int rounds)
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var keyDir = Directory.CreateTempSubdirectory("wa-bench-tp-");
        try
        {
            var time = TimeProvider.System;
            var keys = new LocalKeyFileKeyRing(Path.Combine(keyDir.FullName, "keys.json"), time);
            var service = new TableServiceClient(azurite.ConnectionString);
            var bareTable = service.GetTableClient("benchbare");
            await bareTable.CreateIfNotExistsAsync();
            var ledgerTable = service.GetTableClient("benchtpledger");
            var ledger = new TableLedger(ledgerTable, keys, time, new LedgerOptions(), NullLogger<TableLedger>.Instance);
            var entry = Entry(time.GetUtcNow());
            var index = BlindIndex.Compute(await keys.GetCurrentAsync(KeyPurpose.Index, default), entry.ClientRef);
            await ledger.AppendNewSearchAsync("bench-sample", "bench", new SearchLogged(Guid.NewGuid(), entry, index), null, default);
            var sample = await ledger.ReadSealedAsync("bench-sample", 1, 1, default).FirstAsync();

            long bareKey = 0;
            Func<int, Task> bare = async _ =>
            {
                var i = Interlocked.Increment(ref bareKey);
                await bareTable.SubmitTransactionAsync(BareAppend(sample, "bare", i));
            };
            Func<int, Task> Append(bool oneLedger) => async writer =>
                await ledger.AppendNewSearchAsync(oneLedger ? "bench-shared" : $"bench-therapist-{writer}", "bench",
                    new SearchLogged(Guid.NewGuid(), entry, index), null, default);

            Level[] levels =
            [
                new("1 therapist", 1, false),
                new("8 therapists, one ledger each", 8, false),
                new("64 therapists, one ledger each", 64, false),
                new("64 writers on one ledger", 64, true),
            ];
            var results = new List<object>();
            foreach (var level in levels)
            {
                var append = Append(level.OneLedger);
                // Warm-up: connections, ledgers' heads cached, JIT.
                await RunPhaseAsync(bare, level.Writers, Math.Min(1.0, seconds));
                await RunPhaseAsync(append, level.Writers, Math.Min(1.0, seconds));

                List<double> bareRates = [], ledgerRates = [], ratios = [];
                long bareOps = 0, ledgerOps = 0;
                double bareTime = 0, ledgerTime = 0;
                for (var r = 0; r < rounds; r++)
                {
                    (long Ops, double Seconds) b, l;
                    if (r % 2 == 0)
                    {
                        b = await RunPhaseAsync(bare, level.Writers, seconds);
                        l = await RunPhaseAsync(append, level.Writers, seconds);
                    }
                    else
                    {
                        l = await RunPhaseAsync(append, level.Writers, seconds);
                        b = await RunPhaseAsync(bare, level.Writers, seconds);
                    }
                    bareOps += b.Ops;
                    bareTime += b.Seconds;
                    ledgerOps += l.Ops;
                    ledgerTime += l.Seconds;
                    bareRates.Add(b.Ops / b.Seconds);
                    ledgerRates.Add(l.Ops / l.Seconds);
                    ratios.Add(l.Ops / l.Seconds / (b.Ops / b.Seconds));
                    Console.Error.WriteLine($"{level.Name} round {r + 1}: bare {b.Ops / b.Seconds:F0}/s, ledger {l.Ops / l.Seconds:F0}/s");
                }
                results.Add(new
                {
                    level = level.Name,
                    writers = level.Writers,
                    oneLedger = level.OneLedger,
                    bareTransactionsPerSecond = bareOps / bareTime,
                    appendsPerSecond = ledgerOps / ledgerTime,
                    ratio = Median(ratios),
                    ratioMin = ratios.Min(),
                    ratioMax = ratios.Max(),
                    bareRates,
                    ledgerRates,
                });
            }

            // The chains written under concurrency must verify.
            var verified = true;
            foreach (var id in new[] { "bench-shared", "bench-therapist-0", "bench-therapist-63" })
            {
                var v = await ledger.VerifyAsync(id, default);
                verified &= v.Ok;
                Console.Error.WriteLine($"verify {id}: {v.Events} events, ok={v.Ok}");
            }

            await WriteResultAsync("throughput.json", new
            {
                scenario = "throughput",
                machine = Machine(),
                loadAverage = LoadAverage(),
                secondsPerPhase = seconds,
                rounds,
                eventRowBytes = TableLimits.Check(sample),
                verified,
                levels = results,
            });
            return verified ? 0 : 1;
        }
        finally
        {
            keyDir.Delete(recursive: true);
        }
    }

    /// <summary>Runs <paramref name="writers"/> loops of <paramref name="op"/> for about <paramref name="seconds"/>; counts completed operations.</summary>
    private static async Task<(long Ops, double Seconds)> RunPhaseAsync(Func<int, Task> op, int writers, double seconds)
    {
        long ops = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var sw = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                await op(w);
                Interlocked.Increment(ref ops);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        sw.Stop();
        return (ops, sw.Elapsed.TotalSeconds);
    }
}

using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Reminders;
using WelfareAudit.Core.Schedules;
using WelfareAudit.Infrastructure.Configuration;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Testing;
using static WelfareAudit.Bench.Shared;

namespace WelfareAudit.Bench;

/// <summary>
/// Issue 14, "scale beyond one machine": the jobs that run over every ledger (the reminder sweep, the supervisors'
/// digest, the daily checkpoint and an all-ledger export), each at two numbers of therapists with the same number of
/// searches each, on a fresh Azurite per size. Every therapist's searches are logged through the real
/// <see cref="TableLedger"/> (concurrent appends, one writer per ledger); one search in ten is still awaiting discussion,
/// its session passed when the jobs run (an overdue reminder due), the other nine are history (discussed). The clock is a
/// <see cref="FakeTimeProvider"/>: logged at 07:00 on day 0, jobs at 09:00 on day 2 (after the daily time).
/// Storage requests (and the entities storage sends back) are counted by pipeline policies on the product's table
/// client. Baselines, measured before and after the jobs on the same rows: one bare query per ledger of its search
/// rows (what the sweep and the digest must read at least) and of its event rows (what a verification must read).
/// </summary>
internal static class ScaleBench
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 7, 0, 0, TimeSpan.Zero);
    private const int Writers = 32;
    private const int OpenEvery = 10;

    public static async Task<int> RunAsync(int searchesPerTherapist, IReadOnlyList<int> therapists)
    {
        var sizes = new List<object>();
        foreach (var n in therapists)
        {
            sizes.Add(await RunSizeAsync(n, searchesPerTherapist));
        }
        await WriteResultAsync("scale.json", new
        {
            scenario = "scale",
            machine = Machine(),
            loadAverage = LoadAverage(),
            searchesPerTherapist,
            openSearchesPerTherapist = searchesPerTherapist / OpenEvery,
            sizes,
        });
        return 0;
    }

    private static async Task<object> RunSizeAsync(int therapists, int searches)
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var keyDir = Directory.CreateTempSubdirectory("wa-bench-scale-");
        try
        {
            var time = new FakeTimeProvider(Start);
            var requests = new CountingPolicy();
            var entities = new EntityCountingPolicy();
            var clientOptions = new TableClientOptions();
            clientOptions.AddPolicy(requests, HttpPipelinePosition.PerCall);
            clientOptions.AddPolicy(entities, HttpPipelinePosition.PerCall);
            var table = new TableServiceClient(azurite.ConnectionString, clientOptions).GetTableClient("benchscale");
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["WelfareAudit:Storage:ConnectionString"] = azurite.ConnectionString,
                ["WelfareAudit:Storage:TableName"] = "benchscale",
                ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(keyDir.FullName, "keys.json"),
            }).Build();
            var services = new ServiceCollection().AddLogging();
            services.AddSingleton<TimeProvider>(time);
            services.AddSingleton(table);
            services.AddWelfareAuditInfrastructure(configuration);
            await using var provider = services.BuildServiceProvider();
            var ledger = provider.GetRequiredService<TableLedger>();
            var keys = provider.GetRequiredService<IKeyRing>();
            var channel = new ScaleReminderChannel();
            var reminderOptions = new ReminderOptions();
            var sweep = new ReminderSweep(ledger, [channel], reminderOptions, time, NullLogger<ReminderSweep>.Instance);
            var digest = new SupervisorDigestJob(ledger, provider.GetRequiredService<IJobClaims>(), provider.GetRequiredService<AuditSearchRows>(),
                [channel], reminderOptions, time, NullLogger<SupervisorDigestJob>.Instance);
            var checkpoints = provider.GetRequiredService<DailyCheckpointJob>();
            var exports = provider.GetRequiredService<AuditExportService>();

            var loadAtStart = LoadAverage();
            var ids = Enumerable.Range(1, therapists).Select(t => "therapist-" + t.ToString("D5", CultureInfo.InvariantCulture)).ToList();
            var seed = Stopwatch.StartNew();
            await SeedAsync(ledger, keys, ids, searches, time.GetUtcNow());
            seed.Stop();
            var seeded = therapists * searches;
            var appends = seeded + (therapists * (searches - (searches + OpenEvery - 1) / OpenEvery));
            Console.Error.WriteLine($"{therapists} x {searches}: seeded {seeded} searches in {seed.Elapsed.TotalSeconds:F1} s");

            time.SetUtcNow(Start.AddDays(2).AddHours(2));
            await BareAsync(table, ids, SearchRows, default); // warm-up: JIT, connections
            var bareSearchBefore = await MeasureBareAsync(table, ids, SearchRows, requests);
            var bareEventsBefore = await MeasureBareAsync(table, ids, EventRows, requests);

            async Task<Dictionary<string, object?>> Job(string name, Func<Task<string>> run)
            {
                requests.Reset();
                entities.Reset();
                var sw = Stopwatch.StartNew();
                var outcome = await run();
                sw.Stop();
                Console.Error.WriteLine($"{therapists} x {searches}: {name}: {sw.Elapsed.TotalSeconds:F2} s, {requests.Total} requests, {entities.Read} entities read; {outcome}");
                return new()
                {
                    ["job"] = name,
                    ["seconds"] = sw.Elapsed.TotalSeconds,
                    ["requests"] = requests.Total,
                    ["requestsByKind"] = requests.Snapshot(),
                    ["entitiesRead"] = entities.Read,
                    ["outcome"] = outcome,
                };
            }

            async Task<string> SweepAsync()
            {
                var r = await sweep.RunAsync(default);
                return $"{r.Ledgers} ledgers, {r.Due} due, {r.Sent} digests, {r.Recorded} recorded";
            }
            async Task<string> DigestAsync()
            {
                var r = await digest.SendAsync(default);
                return $"{r.AwaitingReview} awaiting review, {r.Overdue} overdue, {r.Sent} sent, {r.AlreadySent} already sent";
            }

            // In this order: the second sweep finds every reminder recorded and the second digest finds today's claim
            // taken (the steady state of the timer's many runs a day); the checkpoint runs before the export signs its own.
            var jobs = new List<Dictionary<string, object?>>
            {
                await Job("listLedgers", async () => $"{await ledger.ListLedgersAsync(default).CountAsync()} ledgers"),
                await Job("reminderSweep", SweepAsync),
                await Job("reminderSweepNothingDue", SweepAsync),
                await Job("supervisorDigest", DigestAsync),
                await Job("supervisorDigestAlreadySent", DigestAsync),
                await Job("dailyCheckpoint", async () =>
                {
                    var r = await checkpoints.CheckpointAllAsync(default);
                    return $"{r.Checkpointed} checkpointed, {r.AlreadyDone} already done";
                }),
                await Job("exportAllLedgers", async () =>
                {
                    var supervisor = new Caller("bench-supervisor", new HashSet<Role> { Role.Supervisor });
                    var export = await exports.PrepareAsync(supervisor, new AuditExportRequest(null, null, null, AuditFormat.Bundle, false), default);
                    var path = Path.Combine(keyDir.FullName, "bundle.jsonl");
                    await using (var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
                    {
                        await exports.WriteAsync(export, output, default);
                    }
                    return $"{export.Ledgers.Count} ledgers, {export.Events} events, {new FileInfo(path).Length} bytes";
                }),
            };

            var bareSearchAfter = await MeasureBareAsync(table, ids, SearchRows, requests);
            var bareEventsAfter = await MeasureBareAsync(table, ids, EventRows, requests);
            return new
            {
                therapists,
                searchesPerTherapist = searches,
                searches = seeded,
                loadAverage = new { start = loadAtStart, end = LoadAverage() },
                seed = new { seconds = seed.Elapsed.TotalSeconds, appends, appendsPerSecond = appends / seed.Elapsed.TotalSeconds, writers = Writers },
                bareSearchRows = Bare(bareSearchBefore, bareSearchAfter),
                bareEventRows = Bare(bareEventsBefore, bareEventsAfter),
                jobs,
                digestsSent = channel.Digests,
                remindersDelivered = channel.Items,
            };
        }
        finally
        {
            keyDir.Delete(recursive: true);
        }
    }

    private static object Bare((double Seconds, long Rows, int Requests) before, (double Seconds, long Rows, int Requests) after) => new
    {
        seconds = (before.Seconds + after.Seconds) / 2,
        secondsBefore = before.Seconds,
        secondsAfter = after.Seconds,
        rowsBefore = before.Rows,
        rowsAfter = after.Rows,
        requests = before.Requests,
    };

    /// <summary>Each therapist's searches appended in turn, <see cref="Writers"/> therapists at a time.</summary>
    private static async Task SeedAsync(TableLedger ledger, IKeyRing keys, IReadOnlyList<string> ids, int searches, DateTimeOffset now)
    {
        var indexKey = await keys.GetCurrentAsync(KeyPurpose.Index, default);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (id, ct) =>
        {
            for (var s = 0; s < searches; s++)
            {
                // One search in ten is still open, its session tomorrow (passed when the jobs run); the rest are
                // history: discussed with the client.
                var open = s % OpenEvery == 0;
                var entry = Entry(now) with { NextSessionAt = now.AddDays(1) };
                var logged = new SearchLogged(Guid.NewGuid(), entry, BlindIndex.Compute(indexKey, entry.ClientRef));
                await ledger.AppendNewSearchAsync(id, id, logged, null, ct);
                if (!open)
                {
                    await ledger.AppendAsync(id, id, logged.Id, _ => new DiscussedWithClient(logged.Id, now, null, null), ct);
                }
            }
        });
    }

    private static string SearchRows(string ledgerId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {ledgerId} and RowKey gt {RowKeys.SearchPrefix} and RowKey lt {RowKeys.SearchPrefix + "~"}");

    private static string EventRows(string ledgerId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {ledgerId} and RowKey ge {RowKeys.EventsFrom} and RowKey lt {RowKeys.EventsTo}");

    private static async Task<(double Seconds, long Rows, int Requests)> MeasureBareAsync(TableClient table, IReadOnlyList<string> ids, Func<string, string> filter, CountingPolicy requests)
    {
        requests.Reset();
        var sw = Stopwatch.StartNew();
        var rows = await BareAsync(table, ids, filter, default);
        sw.Stop();
        return (sw.Elapsed.TotalSeconds, rows, requests.Total);
    }

    /// <summary>The floor: one query per ledger (pages of 1,000), in turn as the jobs go, nothing done with the rows.</summary>
    private static async Task<long> BareAsync(TableClient table, IReadOnlyList<string> ids, Func<string, string> filter, CancellationToken ct)
    {
        long rows = 0;
        foreach (var id in ids)
        {
            await foreach (var page in table.QueryAsync<TableEntity>(filter(id), maxPerPage: 1000, cancellationToken: ct).AsPages())
            {
                rows += page.Values.Count;
            }
        }
        return rows;
    }
}

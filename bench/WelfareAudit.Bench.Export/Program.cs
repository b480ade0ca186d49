using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Infrastructure.Configuration;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Testing;

// Export of a large ledger and its offline verification, next to a bare query of the same rows, on one
// Azurite in one run. The ledger is written directly as sealed rows in 100-row transactions (the
// product's own sealer and row format), because appending 100,000 events one by one would only measure
// the append path, which bench/WelfareAudit.Bench already does. Search rows (projections) are written
// after the events, in their final state, because the verifier checks them against the events.
//   bare query = TableClient.QueryAsync over the partition's event rows, nothing else (warmed up, then
//                measured before and after the export; the baseline is the mean);
//   prepare    = the one verifying pass over the ledger (read, re-hash, decrypt every field, check the search rows,
//                find the part, write the bundle's event lines into the encrypted spool) + sign and append a checkpoint;
//   write      = stream the bundle to a file (manifest, signature, the spooled lines decrypted and copied, end line)
//                + append the AuditExported event;
//   verify     = welfare-audit verify's code over the file.
// Peak memory per phase: the largest managed heap and working set sampled every 20 ms during the phase.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
await using var azurite = await AzuriteServer.StartAsync();
var folder = Directory.CreateTempSubdirectory("wa-bench-export-");
try
{
    var table = "benchexport";
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["WelfareAudit:Storage:ConnectionString"] = azurite.ConnectionString,
        ["WelfareAudit:Storage:TableName"] = table,
        ["WelfareAudit:Storage:OperationTimeout"] = "00:10:00",
        ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(folder.FullName, "keys.json"),
    }).Build();
    var services = new ServiceCollection().AddLogging();
    services.AddWelfareAuditInfrastructure(configuration);
    await using var provider = services.BuildServiceProvider();
    var keys = provider.GetRequiredService<IKeyRing>();
    var tableClient = provider.GetRequiredService<TableClient>();
    await tableClient.CreateIfNotExistsAsync();
    const string ledgerId = "bench-therapist";

    var fill = Stopwatch.StartNew();
    await FillAsync(tableClient, new EventSealer(keys), keys, ledgerId, count);
    fill.Stop();
    Console.Error.WriteLine($"filled {count} events in {fill.Elapsed.TotalSeconds:F1} s");

    async Task<long> BareQueryAsync()
    {
        long rows = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ledgerId} and RowKey ge {RowKeys.EventsFrom} and RowKey lt {RowKeys.EventsTo}");
        await foreach (var page in tableClient.QueryAsync<TableEntity>(filter, maxPerPage: 1000).AsPages())
        {
            rows += page.Values.Count;
        }
        return rows;
    }
    // The bare query runs once unmeasured (JIT, connections), then before and after the export: the
    // baseline is the mean of the two, so drift during the export hits both sides.
    await BareQueryAsync();
    var bareBefore = await Measure("bare query (before export)", BareQueryAsync);

    var exports = provider.GetRequiredService<AuditExportService>();
    var supervisor = new Caller("bench-supervisor", new HashSet<Role> { Role.Supervisor });
    var request = new AuditExportRequest(null, null, ledgerId, AuditFormat.Bundle, false);
    // One unmeasured export first, as the bare query is warmed up: the measured one is not paying for JIT.
    // (It appends a checkpoint and an AuditExported event: two events more in the measured export.)
    await exports.WriteAsync(await exports.PrepareAsync(supervisor, request, default), Stream.Null, default);
    AuditExport? export = null;
    var prepare = await Measure("prepare (one verifying pass that spools the event lines + checkpoint)", async () =>
    {
        export = await exports.PrepareAsync(supervisor, request, default);
        return export.Events;
    });
    var bundlePath = Path.Combine(folder.FullName, "bundle.jsonl");
    var write = await Measure("write bundle (from the spool)", async () =>
    {
        await using var file = new FileStream(bundlePath, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        await exports.WriteAsync(export!, file, default);
        return export!.Events;
    });
    var bareAfter = await Measure("bare query (after export)", BareQueryAsync);
    var bare = new PhaseResult("bare query (mean of before and after)", bareBefore.Rows, (bareBefore.Seconds + bareAfter.Seconds) / 2,
        Math.Max(bareBefore.PeakManagedMiB, bareAfter.PeakManagedMiB), Math.Max(bareBefore.PeakWorkingSetMiB, bareAfter.PeakWorkingSetMiB));
    BundleVerification? verification = null;
    var verify = await Measure("verify bundle", async () =>
    {
        await using var file = new FileStream(bundlePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        verification = await AuditBundleVerifier.VerifyAsync(file, null, null, default);
        return verification.Events;
    });

    // The extra passes `verify --extends`, `--witness` and `--anchors` make over the same file after `verify`
    // (issue 13): one second read each, without hashing or signatures; the witness check makes two.
    var extendsPass = await Measure("profile: --extends pass over the verified bundle (chain hashes per ledger)", async () =>
    {
        await using var file = new FileStream(bundlePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return (await WelfareAudit.Core.Audit.Verification.BundleHistories.ReadAsync(file, default)).Ledgers.Sum(l => l.Last - l.First + 1);
    });
    var witnessPass = await Measure("profile: one --witness pass over the verified bundle (events streamed)", async () =>
    {
        await using var file = new FileStream(bundlePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        long events = 0;
        await WelfareAudit.Core.Witness.BundleChains.ReadAsync(file, _ => events++, default);
        return events;
    });

    // Profile of "prepare": its parts, each measured alone, so that the ratio can be explained.
    var ledgerApi = provider.GetRequiredService<ILedger>();
    var verifyInStorage = await Measure("profile: verify in storage alone (read + hash + decrypt every field + search rows)", async () =>
        (await ledgerApi.VerifyAsync(ledgerId, default)).Events);
    var indexer = provider.GetRequiredService<IClientIndexer>();
    // The pass the export makes: the same verification, each event written as its bundle line into the encrypted spool.
    var spoolingPass = await Measure("profile: verifying pass writing the spool (prepare without the checkpoint)", async () =>
    {
        using var spool = new BundleEventSpool(request, indexer, EncryptedSpool.CreateTemporary());
        spool.BeginLedger();
        var v = await ledgerApi.VerifyAsync(ledgerId, spool.AddAsync, default);
        spool.EndLedger();
        return v.Events;
    });
    var reader = provider.GetRequiredService<IAuditLedgerReader>();
    var clearScan = await Measure("profile: clear scan alone (read, no decryption)", async () =>
    {
        long rows = 0;
        await foreach (var _ in reader.ReadAsync(ledgerId, 1, long.MaxValue, _ => false, default))
        {
            rows++;
        }
        return rows;
    });
    var decryptingRead = await Measure("profile: decrypting read alone (read + decrypt every field)", async () =>
    {
        long rows = 0;
        await foreach (var _ in reader.ReadAsync(ledgerId, 1, long.MaxValue, _ => true, default))
        {
            rows++;
        }
        return rows;
    });

    // Memory pass: the same phases again, now sampling the LIVE heap (a full blocking collection every
    // 5 ms), because the peak of GC.GetTotalMemory(false) above is mostly garbage waiting for the next
    // gen0 collection and says little about what the code holds on to as the range grows.
    var liveBare = await MeasureLive(BareQueryAsync);
    var liveExport = await MeasureLive(async () =>
    {
        var e = await exports.PrepareAsync(supervisor, request, default);
        await using var file = new FileStream(bundlePath, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        await exports.WriteAsync(e, file, default);
        return e.Events;
    });
    var liveVerify = await MeasureLive(async () =>
    {
        await using var file = new FileStream(bundlePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return (await AuditBundleVerifier.VerifyAsync(file, null, null, default)).Events;
    });
    // Which part holds what: the verification in storage (a 16-byte digest per search row and the state of the
    // searches still open, to check the search rows) and the decrypting read measured apart.
    var liveVerifyInStorage = await MeasureLive(async () => (await ledgerApi.VerifyAsync(ledgerId, default)).Events);
    var liveDecryptingRead = await MeasureLive(async () =>
    {
        long rows = 0;
        await foreach (var _ in reader.ReadAsync(ledgerId, 1, long.MaxValue, _ => true, default))
        {
            rows++;
        }
        return rows;
    });
    Console.Error.WriteLine($"peak live heap above the start, MiB: verify in storage {liveVerifyInStorage:F1}, decrypting read {liveDecryptingRead:F1}");
    Console.Error.WriteLine($"peak live heap above the start, MiB: bare query {liveBare:F1}, export {liveExport:F1}, verify {liveVerify:F1}");

    var result = new
    {
        scenario = "export",
        machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}",
        loadAverage = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
        events = count,
        bundleBytes = new FileInfo(bundlePath).Length,
        verifyOk = verification!.Ok,
        phases = new[] { bare, prepare, write, verify },
        bareQuerySeconds = new[] { bareBefore.Seconds, bareAfter.Seconds },
        profile = new[] { verifyInStorage, spoolingPass, clearScan, decryptingRead },
        extraVerifyPasses = new[] { extendsPass, witnessPass },
        extendsPassVsVerify = extendsPass.Seconds / verify.Seconds,
        witnessPassVsVerify = witnessPass.Seconds / verify.Seconds,
        peakLiveHeapGrowthMiB = new { bareQuery = liveBare, export = liveExport, verify = liveVerify, verifyInStorage = liveVerifyInStorage, decryptingRead = liveDecryptingRead },
        exportSecondsVsBareQuery = (prepare.Seconds + write.Seconds) / bare.Seconds,
        verifySecondsVsBareQuery = verify.Seconds / bare.Seconds,
        exportAndVerifySecondsVsBareQuery = (prepare.Seconds + write.Seconds + verify.Seconds) / bare.Seconds,
    };
    var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
    Console.WriteLine(json);
    var outDir = Environment.GetEnvironmentVariable("WA_BENCH_RESULTS") is { Length: > 0 } configured
        ? configured
        : Path.Combine(RepositoryRoot.Path, "bench", "results");
    Directory.CreateDirectory(outDir);
    await File.WriteAllTextAsync(Path.Combine(outDir, $"audit-export-{count.ToString(CultureInfo.InvariantCulture)}.json"), json);
    Console.WriteLine();
    Console.WriteLine("| phase | rows | seconds | peak managed heap MiB | peak working set MiB |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (var p in result.phases.Concat(result.profile))
    {
        Console.WriteLine($"| {p.Phase} | {p.Rows} | {p.Seconds:F2} | {p.PeakManagedMiB:F1} | {p.PeakWorkingSetMiB:F1} |");
    }
    return verification.Ok ? 0 : 1;
}
finally
{
    folder.Delete(recursive: true);
}

static async Task<PhaseResult> Measure(string name, Func<Task<long>> run)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    long peakHeap = GC.GetTotalMemory(false), peakSet = Environment.WorkingSet;
    using var stop = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
            peakSet = Math.Max(peakSet, Environment.WorkingSet);
            try
            {
                await Task.Delay(20, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    });
    var sw = Stopwatch.StartNew();
    var rows = await run();
    sw.Stop();
    await stop.CancelAsync();
    await sampler;
    Console.Error.WriteLine($"{name}: {rows} rows in {sw.Elapsed.TotalSeconds:F2} s");
    return new PhaseResult(name, rows, sw.Elapsed.TotalSeconds, peakHeap / 1048576.0, peakSet / 1048576.0);
}

static async Task<double> MeasureLive(Func<Task<long>> run)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    var baseline = GC.GetTotalMemory(true);
    long peak = baseline;
    using var stop = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            try
            {
                await Task.Delay(5, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    });
    await run();
    await stop.CancelAsync();
    await sampler;
    return (peak - baseline) / 1048576.0; // what the phase held live above what was live before it
}

static async Task FillAsync(TableClient table, EventSealer sealer, IKeyRing keys, string ledgerId, int count)
{
    var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    var index = BlindIndex.Compute(await keys.GetCurrentAsync(KeyPurpose.Index, default), "C-BENCH");
    var previous = ChainHash.ToHex(ChainHash.Genesis);
    var batch = new List<TableTransactionAction>(100);
    Guid search = Guid.Empty;
    // The verifier checks every search row against its events, so the rows are written as appends leave them.
    var projections = new Dictionary<Guid, SearchProjection>();
    for (long sequence = 1; sequence <= count; sequence++)
    {
        var at = start.AddSeconds(sequence * 30);
        LedgerEvent evt;
        if (sequence % 10 == 1)
        {
            search = Guid.NewGuid();
            evt = new SearchLogged(search, new CrisisSearchEntry("C-BENCH-" + (sequence % 97).ToString(CultureInfo.InvariantCulture), at.AddHours(-1),
                new CrisisDetails("Sent a goodbye message; not reachable since.", RiskLevel.High, [new ContactAttempt(ContactChannel.Phone, at.AddHours(-2))]),
                "No answer by phone or email after an alarming message.", new SearchScope([SearchSource.SearchEngine], ["name town"]),
                "A post from this morning.", "Called the emergency contact.", null, at.AddDays(2)), index);
        }
        else
        {
            evt = (sequence % 10) switch
            {
                2 => new NextSessionSet(search, at.AddDays(2)),
                3 => new DiscussedWithClient(search, at, "We talked about it.", "Understood."),
                _ => new ReminderSent(search, "beforeSession", "r@" + sequence.ToString(CultureInfo.InvariantCulture), at.AddDays(1), "email"),
            };
        }
        var header = new EventHeader(ledgerId, sequence, evt.Type, at, ledgerId);
        projections[search] = SearchProjection.Apply(projections.GetValueOrDefault(search), header, evt);
        var sealedEvent = await sealer.SealAsync(header, evt.ToFields(), previous, default);
        previous = sealedEvent.Hash;
        batch.Add(new TableTransactionAction(TableTransactionActionType.Add, EventRow.ToEntity(sealedEvent)));
        if (sequence == count)
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(ledgerId, RowKeys.Head) { ["Seq"] = sequence, ["Hash"] = previous }));
        }
        if (batch.Count >= 99 || sequence == count)
        {
            await table.SubmitTransactionAsync(batch);
            batch.Clear();
        }
    }
    foreach (var chunk in projections.Values.Chunk(100))
    {
        await table.SubmitTransactionAsync(chunk.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ProjectionRow.ToEntity(p))));
    }
}

internal sealed record PhaseResult(string Phase, long Rows, double Seconds, double PeakManagedMiB, double PeakWorkingSetMiB);

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Testing;
using static WelfareAudit.Bench.Shared;

namespace WelfareAudit.Bench;

/// <summary>
/// Ledger append and POST /api/searches latency against the storage floor, on one Azurite, in one run.
/// Every series runs once per round, in the same order, so that drift in the emulator (and load from
/// other processes) hits every series alike.
/// </summary>
internal static class LatencyBench
{
    private const int Warm = 20;

    public static async Task<int> RunAsync(int samples)
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var keyDir = Directory.CreateTempSubdirectory("wa-bench-");
        try
        {
            var time = TimeProvider.System;
            var keys = new LocalKeyFileKeyRing(Path.Combine(keyDir.FullName, "keys.json"), time);
            // The time of each storage request itself (see RequestTimer), to split an append into its request and the rest.
            var timer = new RequestTimer();
            var serviceOptions = new TableClientOptions();
            serviceOptions.AddPolicy(timer, HttpPipelinePosition.PerCall);
            var service = new TableServiceClient(azurite.ConnectionString, serviceOptions);
            var floorTable = service.GetTableClient("benchfloor");
            var batchTable = service.GetTableClient("benchbatch");
            var ledgerTable = service.GetTableClient("benchledger");
            await floorTable.CreateIfNotExistsAsync();
            await batchTable.CreateIfNotExistsAsync();
            var ledger = new TableLedger(ledgerTable, keys, time, new LedgerOptions(), NullLogger<TableLedger>.Instance);
            const string ledgerId = "bench-therapist";

            var entry = Entry(time.GetUtcNow());
            var index = BlindIndex.Compute(await keys.GetCurrentAsync(KeyPurpose.Index, default), entry.ClientRef);

            // Size the floor entity like a real event row.
            await ledger.AppendAsync(ledgerId, "bench", Guid.Empty, _ => new SearchLogged(Guid.Empty, entry, index), default);
            var sample = await ledger.ReadSealedAsync(ledgerId, 1, 1, default).FirstAsync();
            var rowBytes = TableLimits.Check(sample);

            // The exact rows an idempotent append writes (event, head, search row, idempotency row), to be
            // written bare as a baseline: what the POST must store, without any of our code.
            var ownClaim = new IdempotencyClaim(Convert.ToHexStringLower(SHA256.HashData(Guid.NewGuid().ToByteArray())), new string('0', 64));
            var own = await ledger.AppendNewSearchAsync(ledgerId, "bench", new SearchLogged(Guid.NewGuid(), entry, index), ownClaim, default);
            TableEntity Row(string rowKey) => ledgerTable.GetEntity<TableEntity>(ledgerId, rowKey).Value;
            var ownRows = (Event: Row(RowKeys.Event(own.Sequence)), Head: Row(RowKeys.Head), Search: Row(RowKeys.Search(own.SearchId!.Value)), Idempotency: Row(RowKeys.Idempotency(ownClaim.KeyHash)));
            var ownHead = (await batchTable.UpsertEntityAsync(Copy(ownRows.Head, "pown", RowKeys.Head))).Headers.ETag!.Value;

            // The local host on the same Azurite, for POST /api/searches over real HTTP, with a policy on its
            // table client that counts the storage requests each POST makes.
            var counter = new CountingPolicy();
            var port = FreePort.Next();
            var host = WelfareAudit.LocalHost.LocalHostApp.Build([], new Dictionary<string, string?>
            {
                ["urls"] = $"http://127.0.0.1:{port}",
                ["WelfareAudit:Storage:ConnectionString"] = azurite.ConnectionString,
                ["WelfareAudit:Storage:TableName"] = "benchhttp",
                ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(keyDir.FullName, "host-keys.json"),
                ["WelfareAudit:LocalHost:RunSchedules"] = "false",
                ["WelfareAudit:RateLimits:Writes:PermitLimit"] = "1000000", // a benchmark, not a human
                ["Logging:LogLevel:Default"] = "Warning",
            }, builder =>
            {
                var options = new TableClientOptions();
                options.AddPolicy(counter, HttpPipelinePosition.PerCall);
                builder.Services.AddSingleton(new TableServiceClient(azurite.ConnectionString, options).GetTableClient("benchhttp"));
            });
            await host.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            http.DefaultRequestHeaders.Add(WelfareAudit.Http.Identity.ClientPrincipal.HeaderName,
                WelfareAudit.Http.Identity.ClientPrincipal.Encode("bench-therapist", WelfareAudit.Core.Identity.Role.Therapist));
            var body = PostBody(entry, time.GetUtcNow());

            // Every series once per round, in the same order, so drift and load hit them alike:
            //   bare insert, bare 3- and 4-entity transactions, the POST's own 4 rows bare, ledger append in process (with and without an
            //   idempotency row), GET /api/health (the HTTP floor), POST /api/searches.
            List<double> floor = [], batch3 = [], batch4 = [], batchOwn = [], batchOwnRequest = [], appendIdemRequest = [], append = [], appendIdem = [], seal = [], health = [], post = [];
            var sealer = new EventSealer(keys);
            var genesis = ChainHash.ToHex(ChainHash.Genesis);
            var storageRequests = 0;
            Dictionary<string, int> storageKinds = [];
            for (var i = 0; i < samples + Warm; i++)
            {
                var warm = i < Warm;
                var sw = Stopwatch.StartNew();
                await floorTable.AddEntityAsync(Copy(sample, "p", i.ToString("D19", CultureInfo.InvariantCulture)));
                Record(floor, sw, warm);

                sw.Restart();
                await batchTable.SubmitTransactionAsync(BareAppend(sample, "p3", i));
                Record(batch3, sw, warm);

                sw.Restart();
                await batchTable.SubmitTransactionAsync(BareAppend(sample, "p4", i, idempotency: true));
                Record(batch4, sw, warm);

                sw.Restart();
                await ledger.AppendNewSearchAsync(ledgerId, "bench", new SearchLogged(Guid.NewGuid(), entry, index), null, default);
                Record(append, sw, warm);

                var claim = new IdempotencyClaim(Convert.ToHexStringLower(SHA256.HashData(Guid.NewGuid().ToByteArray())), new string('0', 64));
                sw.Restart();
                await ledger.AppendNewSearchAsync(ledgerId, "bench", new SearchLogged(Guid.NewGuid(), entry, index), claim, default);
                Record(appendIdem, sw, warm);
                if (!warm)
                {
                    appendIdemRequest.Add(timer.LastMs);
                }

                var ownKey = i.ToString("D19", CultureInfo.InvariantCulture);
                List<TableTransactionAction> ownActions =
                [
                    new(TableTransactionActionType.Add, Copy(ownRows.Event, "pown", "e" + ownKey)),
                    new(TableTransactionActionType.UpdateReplace, Copy(ownRows.Head, "pown", RowKeys.Head), ownHead),
                    new(TableTransactionActionType.Add, Copy(ownRows.Search, "pown", "search-" + ownKey)),
                    new(TableTransactionActionType.Add, Copy(ownRows.Idempotency, "pown", "idem-" + ownKey)),
                ];
                sw.Restart();
                var ownCommitted = await batchTable.SubmitTransactionAsync(ownActions);
                Record(batchOwn, sw, warm);
                if (!warm)
                {
                    batchOwnRequest.Add(timer.LastMs);
                }
                ownHead = ownCommitted.Value[1].Headers.ETag!.Value;

                // The CPU part of an append alone, no storage: seal (encrypt and commit 10 fields, canonical
                // encoding, chain hash) and build the row, as TryAppendAsync does.
                var logged = new SearchLogged(Guid.NewGuid(), entry, index);
                sw.Restart();
                var sealedEvent = await sealer.SealAsync(new EventHeader(ledgerId, i + 1, logged.Type, time.GetUtcNow(), "bench"), logged.ToFields(), genesis, default);
                TableLimits.Check(EventRow.ToEntity(sealedEvent));
                Record(seal, sw, warm);

                sw.Restart();
                using (var ok = await http.GetAsync("api/health"))
                {
                    Record(health, sw, warm);
                    ok.EnsureSuccessStatusCode();
                }

                using var request = new HttpRequestMessage(HttpMethod.Post, "api/searches") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                counter.Reset();
                sw.Restart();
                using var response = await http.SendAsync(request);
                Record(post, sw, warm);
                if (response.StatusCode != System.Net.HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"POST /api/searches answered {(int)response.StatusCode}");
                }
                if (!warm)
                {
                    storageRequests += counter.Total;
                    foreach (var (k, n) in counter.Snapshot())
                    {
                        storageKinds[k] = storageKinds.GetValueOrDefault(k) + n;
                    }
                }
            }
            await host.StopAsync();

            var verify = Stopwatch.StartNew();
            var verification = await ledger.VerifyAsync(ledgerId, default);
            verify.Stop();

            double P50(List<double> v) => Percentile(v, 50);
            double P99(List<double> v) => Percentile(v, 99);
            var result = new
            {
                scenario = "latency",
                machine = Machine(),
                loadAverage = LoadAverage(),
                samples,
                eventRowBytes = rowBytes,
                floorInsertMs = Stats(floor),
                bareTransaction3Ms = Stats(batch3),
                bareTransaction4Ms = Stats(batch4),
                bareTransactionOwnRowsMs = Stats(batchOwn),
                bareTransactionOwnRowsRequestMs = Stats(batchOwnRequest),
                appendWithIdempotencyRequestMs = Stats(appendIdemRequest),
                appendMs = Stats(append),
                appendWithIdempotencyMs = Stats(appendIdem),
                sealOnlyMs = Stats(seal),
                ratioP50VsInsert = P50(append) / P50(floor),
                ratioP99VsInsert = P99(append) / P99(floor),
                ratioP50VsTransaction = P50(append) / P50(batch3),
                ratioIdemP50VsTransaction4 = P50(appendIdem) / P50(batch4),
                postSearchMs = Stats(post),
                floorInsertDuringPostMs = Stats(floor),
                healthMs = Stats(health),
                postRatioP50VsInsert = P50(post) / P50(floor),
                postRatioP99VsInsert = P99(post) / P99(floor),
                postRatioP50VsTransaction4 = P50(post) / P50(batch4),
                postRatioP50VsOwnRows = P50(post) / P50(batchOwn),
                storageRequestsPerPost = (double)storageRequests / samples,
                storageRequestKindsPerPost = storageKinds.ToDictionary(p => p.Key, p => (double)p.Value / samples),
                verifyEvents = verification.Events,
                verifyOk = verification.Ok,
                verifyMsPerEvent = verify.Elapsed.TotalMilliseconds / verification.Events,
            };
            await WriteResultAsync("ledger-append.json", result);
            Console.WriteLine();
            Console.WriteLine("| measure | p50 ms | p99 ms |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine($"| bare single-entity insert ({rowBytes} B) | {P50(floor):F2} | {P99(floor):F2} |");
            Console.WriteLine($"| bare 3-entity transaction | {P50(batch3):F2} | {P99(batch3):F2} |");
            Console.WriteLine($"| bare 4-entity transaction | {P50(batch4):F2} | {P99(batch4):F2} |");
            Console.WriteLine($"| bare transaction of the POST's own 4 rows | {P50(batchOwn):F2} | {P99(batchOwn):F2} |");
            Console.WriteLine($"| ledger append (SearchLogged) | {P50(append):F2} | {P99(append):F2} |");
            Console.WriteLine($"| ledger append + idempotency row | {P50(appendIdem):F2} | {P99(appendIdem):F2} |");
            Console.WriteLine($"| — its storage request alone (timed in the SDK pipeline) | {P50(appendIdemRequest):F2} | {P99(appendIdemRequest):F2} |");
            Console.WriteLine($"| — the same for the bare own-rows transaction | {P50(batchOwnRequest):F2} | {P99(batchOwnRequest):F2} |");
            Console.WriteLine($"| GET /api/health over HTTP | {P50(health):F2} | {P99(health):F2} |");
            Console.WriteLine($"| POST /api/searches over HTTP | {P50(post):F2} | {P99(post):F2} |");
            Console.WriteLine($"| ratio POST / insert | {result.postRatioP50VsInsert:F2} | {result.postRatioP99VsInsert:F2} |");
            Console.WriteLine($"storage requests per POST: {result.storageRequestsPerPost:F2} ({string.Join(", ", result.storageRequestKindsPerPost.Select(p => $"{p.Key}: {p.Value:F2}"))})");
            return verification.Ok ? 0 : 1;
        }
        finally
        {
            keyDir.Delete(recursive: true);
        }
    }
}

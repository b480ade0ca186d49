using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Testing;

// Ledger append latency against the storage floor, on one Azurite, in one run:
//   floor    = a bare single-entity insert of an entity as large as an event row;
//   batch    = a bare entity-group transaction of three entities (what an append writes);
//   append   = TableLedger.AppendAsync of a full SearchLogged (read head + projection, encrypt,
//              hash, one transaction).
// Rounds are interleaved so that drift in the emulator affects all three alike.
var samples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
await using var azurite = await AzuriteServer.StartAsync();
var keyDir = Directory.CreateTempSubdirectory("wa-bench-");
try
{
    var time = TimeProvider.System;
    var keys = new LocalKeyFileKeyRing(Path.Combine(keyDir.FullName, "keys.json"), time);
    var service = new TableServiceClient(azurite.ConnectionString);
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

    var floor = new List<double>();
    var batch = new List<double>();
    var append = new List<double>();
    for (var i = 0; i < samples + 20; i++)
    {
        var warm = i < 20;
        var e = new TableEntity("p", i.ToString("D19", CultureInfo.InvariantCulture));
        foreach (var (k, v) in sample)
        {
            if (k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
            {
                e[k] = v;
            }
        }
        var sw = Stopwatch.StartNew();
        await floorTable.AddEntityAsync(e);
        Record(floor, sw, warm);

        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Add, new TableEntity(e) { RowKey = "e" + i.ToString("D19", CultureInfo.InvariantCulture) }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "head") { ["Seq"] = (long)i }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "search-" + i) { ["State"] = "AwaitingDiscussion" }),
        };
        sw.Restart();
        await batchTable.SubmitTransactionAsync(actions);
        Record(batch, sw, warm);

        var id = Guid.NewGuid();
        sw.Restart();
        await ledger.AppendNewSearchAsync(ledgerId, "bench", new SearchLogged(id, entry, index), null, default);
        Record(append, sw, warm);
    }

    // POST /api/searches over real HTTP on the local host (same Azurite), interleaved with bare inserts.
    var port = FreePort.Next();
    var host = WelfareAudit.LocalHost.LocalHostApp.Build([], new Dictionary<string, string?>
    {
        ["urls"] = $"http://127.0.0.1:{port}",
        ["WelfareAudit:Storage:ConnectionString"] = azurite.ConnectionString,
        ["WelfareAudit:Storage:TableName"] = "benchhttp",
        ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(keyDir.FullName, "host-keys.json"),
        ["WelfareAudit:LocalHost:RunSchedules"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
    });
    await host.StartAsync();
    using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    http.DefaultRequestHeaders.Add(WelfareAudit.Http.Identity.ClientPrincipal.HeaderName,
        WelfareAudit.Http.Identity.ClientPrincipal.Encode("bench-therapist", WelfareAudit.Core.Identity.Role.Therapist));
    var body = JsonSerializer.Serialize(new
    {
        clientRef = entry.ClientRef,
        occurredAt = time.GetUtcNow().AddMinutes(-30),
        crisis = new { dangerSuspected = entry.Crisis.DangerSuspected, riskLevel = "high", contactAttempts = new[] { new { channel = "phone", at = time.GetUtcNow().AddHours(-2) } } },
        justification = entry.Justification,
        scope = new { sources = new[] { "searchEngine", "facebook" }, queries = entry.Scope.Queries },
        findings = entry.Findings,
        actionsTaken = entry.ActionsTaken,
        nextSessionAt = time.GetUtcNow().AddDays(2),
    });
    var post = new List<double>();
    var floor2 = new List<double>();
    for (var i = 0; i < samples + 20; i++)
    {
        var warm = i < 20;
        var e = new TableEntity("q", i.ToString("D19", CultureInfo.InvariantCulture));
        foreach (var (k, v) in sample)
        {
            if (k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
            {
                e[k] = v;
            }
        }
        var sw = Stopwatch.StartNew();
        await floorTable.AddEntityAsync(e);
        Record(floor2, sw, warm);

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/searches") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        sw.Restart();
        using var response = await http.SendAsync(request);
        Record(post, sw, warm);
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /api/searches answered {(int)response.StatusCode}");
        }
    }
    await host.StopAsync();

    var verify = Stopwatch.StartNew();
    var verification = await ledger.VerifyAsync(ledgerId, default);
    verify.Stop();

    var result = new
    {
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformationText()}",
        samples,
        eventRowBytes = rowBytes,
        floorInsertMs = Stats(floor),
        bareTransactionMs = Stats(batch),
        appendMs = Stats(append),
        ratioP50VsInsert = Percentile(append, 50) / Percentile(floor, 50),
        ratioP99VsInsert = Percentile(append, 99) / Percentile(floor, 99),
        ratioP50VsTransaction = Percentile(append, 50) / Percentile(batch, 50),
        postSearchMs = Stats(post),
        floorInsertDuringPostMs = Stats(floor2),
        postRatioP50VsInsert = Percentile(post, 50) / Percentile(floor2, 50),
        postRatioP99VsInsert = Percentile(post, 99) / Percentile(floor2, 99),
        verifyEvents = verification.Events,
        verifyOk = verification.Ok,
        verifyMsPerEvent = verify.Elapsed.TotalMilliseconds / verification.Events,
    };
    var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
    Console.WriteLine(json);
    var outDir = Path.Combine(RepositoryRoot.Path, "bench", "results");
    Directory.CreateDirectory(outDir);
    await File.WriteAllTextAsync(Path.Combine(outDir, "ledger-append.json"), json);
    Console.WriteLine();
    Console.WriteLine("| measure | p50 ms | p99 ms |");
    Console.WriteLine("|---|---|---|");
    Console.WriteLine($"| bare single-entity insert ({rowBytes} B) | {Percentile(floor, 50):F2} | {Percentile(floor, 99):F2} |");
    Console.WriteLine($"| bare 3-entity transaction | {Percentile(batch, 50):F2} | {Percentile(batch, 99):F2} |");
    Console.WriteLine($"| ledger append (SearchLogged) | {Percentile(append, 50):F2} | {Percentile(append, 99):F2} |");
    Console.WriteLine($"| ratio append / insert | {result.ratioP50VsInsert:F2} | {result.ratioP99VsInsert:F2} |");
    Console.WriteLine($"| bare insert (interleaved with POSTs) | {Percentile(floor2, 50):F2} | {Percentile(floor2, 99):F2} |");
    Console.WriteLine($"| POST /api/searches over HTTP | {Percentile(post, 50):F2} | {Percentile(post, 99):F2} |");
    Console.WriteLine($"| ratio POST / insert | {result.postRatioP50VsInsert:F2} | {result.postRatioP99VsInsert:F2} |");
    return verification.Ok ? 0 : 1;
}
finally
{
    keyDir.Delete(recursive: true);
}

static void Record(List<double> list, Stopwatch sw, bool warm)
{
    sw.Stop();
    if (!warm)
    {
        list.Add(sw.Elapsed.TotalMilliseconds);
    }
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
    return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
}

static object Stats(List<double> v) => new { p50 = Percentile(v, 50), p99 = Percentile(v, 99), mean = v.Average() };

static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription + " on " + System.Runtime.InteropServices.RuntimeInformation.OSDescription;

static CrisisSearchEntry Entry(DateTimeOffset now) => new(
    "C-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)),
    now.AddHours(-1),
    new CrisisDetails(new string('d', 400), RiskLevel.High, [new ContactAttempt(ContactChannel.Phone, now.AddHours(-3)), new ContactAttempt(ContactChannel.MissedAppointment, now.AddHours(-4))]),
    new string('j', 600),
    new SearchScope([SearchSource.SearchEngine, SearchSource.Facebook], ["name town", "name blog"]),
    new string('f', 300),
    new string('a', 200),
    null,
    now.AddDays(2));

using System.Diagnostics;
using System.Text.Json;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Searches;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Testing;
using static WelfareAudit.Bench.Shared;

namespace WelfareAudit.Bench;

/// <summary>
/// The search list (issue 14): one therapist's N searches listed through the API page by page (GET /api/searches,
/// pageSize=100, following next), against the baseline of a bare Table query of the same search rows, in the same run on
/// the same Azurite, interleaved round by round. Profiles beside it: the same pages in process (no HTTP), and the shape the
/// list had before paging, bare (the same query plus one event-row query per search). The storage requests of one listing
/// through the API are counted on the host's table client.
/// </summary>
internal static class ListingBench
{
    private const string TableName = "benchlist";
    private const string Therapist = "bench-list-therapist";
    private const int PageSize = SearchListQuery.MaxPageSize;

    public static async Task<int> RunAsync(int searches, int rounds)
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var keyDir = Directory.CreateTempSubdirectory("wa-bench-list-");
        var counter = new CountingPolicy();
        var port = FreePort.Next();
        var host = WelfareAudit.LocalHost.LocalHostApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["WelfareAudit:Storage:ConnectionString"] = azurite.ConnectionString,
            ["WelfareAudit:Storage:TableName"] = TableName,
            ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(keyDir.FullName, "host-keys.json"),
            ["WelfareAudit:LocalHost:RunSchedules"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        }, builder =>
        {
            var options = new TableClientOptions();
            options.AddPolicy(counter, HttpPipelinePosition.PerCall);
            builder.Services.AddSingleton(new TableServiceClient(azurite.ConnectionString, options).GetTableClient(TableName));
        });
        await host.StartAsync();
        try
        {
            var service = host.Services.GetRequiredService<CrisisSearchService>();
            var caller = new Caller(Therapist, new HashSet<Role> { Role.Therapist });
            for (var i = 0; i < searches; i++)
            {
                var now = DateTimeOffset.UtcNow;
                var draft = JsonSerializer.Deserialize<CrisisSearchDraft>(PostBody(Entry(now), now), JsonSerializerOptions.Web);
                await service.LogAsync(caller, draft, null, CancellationToken.None);
            }
            var bare = new TableServiceClient(azurite.ConnectionString).GetTableClient(TableName);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            http.DefaultRequestHeaders.Add(WelfareAudit.Http.Identity.ClientPrincipal.HeaderName,
                WelfareAudit.Http.Identity.ClientPrincipal.Encode(Therapist, Role.Therapist));

            var apiMs = new List<double>();
            var bareMs = new List<double>();
            var inProcessMs = new List<double>();
            var perItemMs = new List<double>();
            var ratios = new List<double>();
            var pages = 0;
            for (var round = -2; round < rounds; round++)
            {
                var warm = round < 0;
                var b = await TimeAsync(() => BareQueryAsync(bare, searches));
                counter.Reset();
                (var a, pages) = await TimeAsync(() => ApiAsync(http, searches));
                var requests = counter.Total;
                var p = await TimeAsync(() => InProcessAsync(service, caller, searches));
                var o = await TimeAsync(() => PerItemReadsAsync(bare, searches));
                if (!warm)
                {
                    bareMs.Add(b.Ms);
                    apiMs.Add(a);
                    inProcessMs.Add(p.Ms);
                    perItemMs.Add(o.Ms);
                    ratios.Add(a / b.Ms);
                    Console.Error.WriteLine($"round {round}: api {a:F1} ms ({pages} pages, {requests} storage requests), bare {b.Ms:F1} ms, in process {p.Ms:F1} ms, per-item reads {o.Ms:F1} ms");
                }
            }
            counter.Reset();
            await ApiAsync(http, searches);
            var storageRequests = counter.Snapshot();

            await WriteResultAsync("listing.json", new
            {
                scenario = "listing",
                machine = Machine(),
                loadAverage = LoadAverage(),
                searches,
                pageSize = PageSize,
                pages,
                rounds,
                apiMs = Stats(apiMs),
                bareQueryMs = Stats(bareMs),
                inProcessMs = Stats(inProcessMs),
                perItemReadsMs = Stats(perItemMs),
                apiVsBareQuery = Median(ratios),
                inProcessVsBareQuery = Median(inProcessMs) / Median(bareMs),
                perItemReadsVsBareQuery = Median(perItemMs) / Median(bareMs),
                storageRequestsPerListing = storageRequests.Values.Sum(),
                storageRequestKindsPerListing = storageRequests,
            });
            return 0;
        }
        finally
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
    }

    private static async Task<(double Ms, T Value)> TimeAsync<T>(Func<Task<T>> run)
    {
        var sw = Stopwatch.StartNew();
        var value = await run();
        return (sw.Elapsed.TotalMilliseconds, value);
    }

    private static string SearchRows(string ledgerId) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {ledgerId} and RowKey gt {RowKeys.SearchPrefix} and RowKey lt {RowKeys.SearchPrefix + "~"}");

    /// <summary>The baseline: the search rows in one query, every page, entities materialized.</summary>
    private static async Task<int> BareQueryAsync(TableClient table, int expected)
    {
        var rows = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(SearchRows(Therapist), maxPerPage: 1000))
        {
            rows++;
        }
        return rows == expected ? rows : throw new InvalidOperationException($"The bare query read {rows} rows, not {expected}.");
    }

    /// <summary>The list through the API, page by page; the number of pages.</summary>
    private static async Task<int> ApiAsync(HttpClient http, int expected)
    {
        var items = 0;
        var pages = 0;
        string? next = null;
        do
        {
            using var response = await http.GetAsync($"api/searches?pageSize={PageSize}" + (next is null ? "" : "&continuation=" + next));
            response.EnsureSuccessStatusCode();
            using var page = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            items += page.RootElement.GetProperty("items").GetArrayLength();
            next = page.RootElement.GetProperty("next").GetString();
            pages++;
        }
        while (next is not null);
        return items == expected ? pages : throw new InvalidOperationException($"The API listed {items} searches, not {expected}.");
    }

    /// <summary>Profile: the same pages from the use case, without HTTP.</summary>
    private static async Task<int> InProcessAsync(CrisisSearchService service, Caller caller, int expected)
    {
        var items = 0;
        string? next = null;
        do
        {
            var page = await service.ListPageAsync(caller, SearchListQuery.Parse(null, null, null, PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), next), CancellationToken.None);
            items += page.Items.Count;
            next = page.Next;
        }
        while (next is not null);
        return items == expected ? items : throw new InvalidOperationException($"The use case listed {items} searches, not {expected}.");
    }

    /// <summary>Profile: the list's shape before paging, bare: the same query, then one query of the search's event row per search.</summary>
    private static async Task<int> PerItemReadsAsync(TableClient table, int expected)
    {
        var rows = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(SearchRows(Therapist), maxPerPage: 1000))
        {
            var eventKey = RowKeys.Event(row.GetInt64("LoggedSequence") ?? 0);
            await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Therapist} and RowKey ge {eventKey} and RowKey le {eventKey}")))
            {
                rows++;
            }
        }
        return rows == expected ? rows : throw new InvalidOperationException($"The per-item reads found {rows} events, not {expected}.");
    }
}

using System.Net;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using WelfareAudit.Core.Anchors;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http.Identity;
using WelfareAudit.LocalHost;
using WelfareAudit.Testing;

namespace WelfareAudit.LocalHost.Tests.Anchors;

/// <summary>
/// What anchoring costs, counted by pipeline policies on the host's own clients (issue 13, "Bench"): a POST sends no
/// blob request at all and the same one table transaction as without anchoring; a checkpoint (the daily run, an
/// export) writes exactly one blob. And the host end to end: verify reports the anchors, the export is anchored.
/// </summary>
public sealed class AnchorRequestCountTests : IAsyncLifetime
{
    private const string Therapist = "5a0c7d3e-2b1f-4e6a-8c9d-0e1f2a3b4c5d";
    private readonly RequestCounter _tables = new();
    private readonly RequestCounter _blobs = new();
    private AzuriteServer _azurite = null!;
    private readonly string _table = AzuriteFixture.NewTableName("anchors");
    private readonly string _containerName = AzuriteFixture.NewContainerName("anchors");
    private AzuriteServer _blobService = null!;
    private WebApplication _app = null!;
    private HttpClient _therapist = null!;
    private HttpClient _supervisor = null!;
    private BlobContainerClient _container = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.SharedAsync();
        _blobService = await AzuriteServer.SharedBlobAsync();
        var port = FreePort.Next();
        _app = LocalHostApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["WelfareAudit:Storage:ConnectionString"] = _azurite.ConnectionString,
            ["WelfareAudit:Storage:TableName"] = _table,
            ["WelfareAudit:Checkpoints:ConnectionString"] = _blobService.ConnectionString,
            ["WelfareAudit:Checkpoints:ContainerName"] = _containerName,
            ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(Directory.CreateTempSubdirectory("wa-anchor-").FullName, "keys.json"),
            ["WelfareAudit:LocalHost:RunSchedules"] = "false",
        }, builder =>
        {
            var tableOptions = new TableClientOptions();
            tableOptions.AddPolicy(_tables, HttpPipelinePosition.PerCall);
            builder.Services.AddSingleton(new TableServiceClient(_azurite.ConnectionString, tableOptions).GetTableClient(_table));
            var blobOptions = new BlobClientOptions();
            blobOptions.AddPolicy(_blobs, HttpPipelinePosition.PerCall);
            builder.Services.AddSingleton(new BlobContainerClient(_blobService.ConnectionString, _containerName, blobOptions));
        });
        await _app.StartAsync();
        _container = new BlobContainerClient(_blobService.ConnectionString, _containerName);
        _therapist = Client(port, Therapist, Role.Therapist);
        _supervisor = Client(port, "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", Role.Supervisor);
    }

    private static HttpClient Client(int port, string objectId, params Role[] roles)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        client.DefaultRequestHeaders.Add(ClientPrincipal.HeaderName, ClientPrincipal.Encode(objectId, roles));
        return client;
    }

    public async Task DisposeAsync()
    {
        _therapist.Dispose();
        _supervisor.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _blobService.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private async Task LogAsync()
    {
        var response = await _therapist.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<List<string>> BlobNamesAsync()
    {
        var names = new List<string>();
        await foreach (var blob in _container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, CancellationToken.None))
        {
            names.Add(blob.Name);
        }
        return names;
    }

    [Fact]
    public async Task Post_WithAnchoringOn_NoBlobRequestAndOneTableTransaction()
    {
        await LogAsync(); // creates the table, warms the head cache
        _tables.Reset();
        _blobs.Reset();

        await LogAsync();

        Assert.Equal(0, _blobs.Total);
        Assert.Equal(1, _tables.Total);
    }

    [Fact]
    public async Task DailyCheckpointAndExport_EachCheckpointWritesExactlyOneBlob_VerifyReportsTheAnchors()
    {
        await LogAsync();
        await LogAsync();
        await _container.CreateIfNotExistsAsync(); // as infra/ provisions it: the count is the anchor's own requests
        _blobs.Reset();

        var daily = await _supervisor.PostAsync("admin/functions/DailyCheckpoint", null);
        // Development mode creates the container once per process (CreateIfNotExists); with ContainerUri in Azure it does not.
        var (dailyWrites, dailyRequests) = (_blobs.Writes, _blobs.Total - _blobs.ContainerCreates);
        _blobs.Reset();
        var export = await _supervisor.GetAsync("api/audit/export?format=bundle");
        await export.Content.ReadAsByteArrayAsync();
        var (exportWrites, exportRequests) = (_blobs.Writes, _blobs.Total - _blobs.ContainerCreates);
        var verify = JsonDocument.Parse(await _supervisor.GetStringAsync("api/ledger/verify")).RootElement;

        Assert.Equal(HttpStatusCode.Accepted, daily.StatusCode);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal(1, dailyWrites);
        Assert.Equal(2, dailyRequests);   // + the catch-up's listing of the ledger's prefix
        Assert.Equal(1, exportWrites);
        Assert.Equal(2, exportRequests);  // + one listing of the container, to compare every ledger with its anchors
        var names = await BlobNamesAsync();
        Assert.Equal(2, names.Count);
        Assert.All(names, n => Assert.True(AnchorName.TryParse(n, out var a) && a.LedgerId == Therapist, n));
        Assert.True(verify.GetProperty("ok").GetBoolean());
        var anchors = Assert.Single(verify.GetProperty("ledgers").EnumerateArray()).GetProperty("anchors");
        Assert.Equal(2, anchors.GetProperty("anchored").GetInt32());
        Assert.Equal(3, anchors.GetProperty("latestSequence").GetInt64()); // the export signed the head after the daily checkpoint (sequence 3)
        Assert.Equal(0, anchors.GetProperty("unanchored").GetInt32());
    }

    [Fact]
    public async Task Verify_AnAnchorStatesAnotherHeadThanTheChain_ForkNamingTheBlob()
    {
        await LogAsync();
        await _container.CreateIfNotExistsAsync();
        // An anchor of another history at sequence 1 (as the container would hold after the owner rebuilt the ledger).
        var other = new AnchorName(Therapist, 1, new string('e', 64)).BlobName;
        await _container.GetBlobClient(other).UploadAsync(BinaryData.FromString("from an earlier history\n"));

        var verify = JsonDocument.Parse(await _therapist.GetStringAsync("api/ledger/verify")).RootElement;

        Assert.False(verify.GetProperty("ok").GetBoolean());
        var ledger = Assert.Single(verify.GetProperty("ledgers").EnumerateArray());
        var problem = ledger.GetProperty("problem");
        Assert.Equal("Fork", problem.GetProperty("kind").GetString());
        Assert.Equal(1, problem.GetProperty("sequence").GetInt64());
        Assert.Equal(other, problem.GetProperty("anchor").GetString());
        Assert.Equal(1, ledger.GetProperty("anchors").GetProperty("anchored").GetInt32());
    }

    /// <summary>Counts requests (once per call, before the SDK's retries): all, blob writes (PUT of a blob) and container creations (PUT of the container).</summary>
    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _total;
        private int _writes;
        private int _containerCreates;

        public int Total => Volatile.Read(ref _total);

        public int Writes => Volatile.Read(ref _writes);

        public int ContainerCreates => Volatile.Read(ref _containerCreates);

        public void Reset()
        {
            Interlocked.Exchange(ref _total, 0);
            Interlocked.Exchange(ref _writes, 0);
            Interlocked.Exchange(ref _containerCreates, 0);
        }

        public override void OnSendingRequest(HttpMessage message)
        {
            Interlocked.Increment(ref _total);
            if (message.Request.Method == RequestMethod.Put)
            {
                Interlocked.Increment(ref message.Request.Uri.Query.Contains("restype=container", StringComparison.Ordinal) ? ref _containerCreates : ref _writes);
            }
        }
    }
}

using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using WelfareAudit.Core.Anchors;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Infrastructure.Tests.Support;
using WelfareAudit.Testing;

namespace WelfareAudit.Infrastructure.Tests.Anchors;

/// <summary>
/// A Table ledger on Azurite's table service with its checkpoints anchored in a container of Azurite's blob service,
/// wired as the app wires them (checkpointer, daily job, anchor audit). <see cref="Rebuild"/> plays the owner who
/// rebuilds the ledger in a fresh table with the same key and ledger id: the anchors stay.
/// </summary>
public sealed class AnchorWorld
{
    public const string LedgerId = "0b5f1c2a-6c1e-4f0a-9f1b-3c2d4e5f6a7b";

    /// <summary>Every build starts at this time and the clock stands still, so a rebuild can repeat a prefix hash for hash.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private readonly AzuriteFixture _azurite;

    public AnchorWorld(AzuriteFixture azurite, string? blobConnectionString = null, int? maxRetries = null)
    {
        _azurite = azurite;
        Keys = TestKeyRing.Create();
        var options = new BlobClientOptions();
        if (maxRetries is { } retries)
        {
            options.Retry.MaxRetries = retries;
        }
        options.AddPolicy(Requests, HttpPipelinePosition.PerCall);
        Container = new BlobContainerClient(blobConnectionString ?? azurite.Blobs.ConnectionString, AzuriteFixture.NewContainerName(), options);
        Store = new BlobCheckpointAnchors(Container, createContainer: true);
        Rebuild();
    }

    public IKeyRing Keys { get; }

    public BlobContainerClient Container { get; }

    public BlobCheckpointAnchors Store { get; }

    public CountingPolicy Requests { get; } = new();

    public CapturingLogger<CheckpointAnchoring> Log { get; } = new();

    public TableLedger Ledger { get; private set; } = null!;

    public ManualClock Clock { get; private set; } = null!;

    public CheckpointAnchoring Anchoring { get; private set; } = null!;

    public LedgerCheckpointer Checkpointer { get; private set; } = null!;

    public DailyCheckpointJob Daily { get; private set; } = null!;

    public AnchorAudit Audit { get; private set; } = null!;

    /// <summary>A fresh table (the same key ring, the same container): what an owner holding every key can build.</summary>
    public void Rebuild()
    {
        Clock = new ManualClock(Start);
        Ledger = new TableLedger(_azurite.NewTable(), Keys, Clock, new LedgerOptions(), NullLogger<TableLedger>.Instance);
        var reader = new TableAuditReader(Ledger, Keys);
        Anchoring = new CheckpointAnchoring(Store, reader, Log);
        Checkpointer = new LedgerCheckpointer(Ledger, new KeyRingSigningKeys(Keys), Clock, Anchoring);
        Daily = new DailyCheckpointJob(Ledger, Checkpointer, Clock, Anchoring);
        Audit = new AnchorAudit(Anchoring, reader, NullLogger<AnchorAudit>.Instance);
    }

    /// <summary>Appends <paramref name="count"/> events (export records, distinguished by <paramref name="tag"/>).</summary>
    public async Task AppendAsync(int count, string tag = "a", string ledgerId = LedgerId)
    {
        for (var i = 0; i < count; i++)
        {
            var evt = new AuditExported("actor-" + tag, null, null, "bundle", i, null);
            await Ledger.AppendAsync(ledgerId, "actor", null, _ => evt, CancellationToken.None);
        }
    }

    public async Task<CheckpointRecord> CheckpointAsync(string ledgerId = LedgerId) =>
        (await Checkpointer.CheckpointAsync(ledgerId, LedgerCheckpointer.SystemActor, CancellationToken.None))!;

    /// <summary>The container's blob names, through the product's own listing (none while the container does not exist).</summary>
    public async Task<List<string>> BlobNamesAsync() => await Store.ListAsync("", CancellationToken.None).ToListAsync();

    /// <summary>What a supervisor's verify says: every ledger of the table, compared with the anchors.</summary>
    public async Task<IReadOnlyList<LedgerVerification>> VerifyAllAsync()
    {
        var results = new List<LedgerVerification>();
        await foreach (var id in Ledger.ListLedgersAsync(CancellationToken.None))
        {
            results.Add(await Ledger.VerifyAsync(id, CancellationToken.None));
        }
        return await Audit.CheckAsync(results, everyLedger: true, CancellationToken.None);
    }

    /// <summary>Counts the requests sent through the blob client (once per call, before the SDK's retries): all, and blob writes.</summary>
    public sealed class CountingPolicy : HttpPipelineSynchronousPolicy
    {
        private int _puts;
        private int _total;

        public int Puts => Volatile.Read(ref _puts);

        public int Total => Volatile.Read(ref _total);

        public void Reset()
        {
            Interlocked.Exchange(ref _puts, 0);
            Interlocked.Exchange(ref _total, 0);
        }

        public override void OnSendingRequest(HttpMessage message)
        {
            Interlocked.Increment(ref _total);
            if (message.Request.Method == RequestMethod.Put && !message.Request.Uri.Query.Contains("restype=container", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _puts);
            }
        }
    }
}

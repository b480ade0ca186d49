using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Infrastructure.Tests.Support;
using WelfareAudit.Testing;

namespace WelfareAudit.Infrastructure.Tests.Storage;

/// <summary>
/// 64 writers on one ledger in one process: their appends are committed in groups (several events in one
/// entity-group transaction). What the speed-up must not change: the chain is linear, every acknowledged
/// append is stored exactly once where its result says, idempotent retries replay, and an outage in the
/// middle of a group acknowledges nothing that is not stored and loses nothing that was acknowledged.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class GroupCommitTests(AzuriteFixture azurite)
{
    private const string Ledger = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1c0";
    private const string Actor = "actor-1";
    private const int Writers = 64;
    private readonly IKeyRing _keys = TestKeyRing.Create();

    private TableLedger CreateSut(TableClient table) =>
        new(table, _keys, TimeProvider.System, new LedgerOptions(), NullLogger<TableLedger>.Instance);

    private static TableClient Table(string connectionString, string name, HttpPipelinePolicy? policy = null, int? maxRetries = null)
    {
        var options = new TableClientOptions();
        if (policy is not null)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerCall);
        }
        if (maxRetries is { } retries)
        {
            options.Retry.MaxRetries = retries;
        }
        return new TableClient(connectionString, name, options);
    }

    /// <summary>Writer <paramref name="writer"/>'s <paramref name="i"/>-th append, of one of four kinds: a new search (with and without an idempotency key), an event of an existing search, an event of no search.</summary>
    private static Task<AppendResult?> AppendKindAsync(TableLedger ledger, int writer, int i, Guid existingSearch, DateTimeOffset now) => (writer % 4) switch
    {
        0 => Some(ledger.AppendNewSearchAsync(Ledger, Actor, SampleEvents.Logged(now, Marker(writer, i)), Claim(writer, i), CancellationToken.None)),
        1 => Some(ledger.AppendNewSearchAsync(Ledger, Actor, SampleEvents.Logged(now, Marker(writer, i)), null, CancellationToken.None)),
        2 => ledger.AppendAsync(Ledger, Actor, existingSearch, p => new ReminderSent(existingSearch, "overdue", Marker(writer, i) + "@" + p!.RemindersSent.Count, null, "email"), Claim(writer, i), CancellationToken.None),
        _ => ledger.AppendAsync(Ledger, Actor, null, _ => new SupervisorReviewed(null, "reviewer", ReviewOutcomes.Concern, Marker(writer, i)), CancellationToken.None),
    };

    /// <summary>One search per writer of the "existing search" kind, appended first, one at a time.</summary>
    private static async Task<Guid[]> LogExistingSearchesAsync(TableLedger ledger, DateTimeOffset now)
    {
        var searches = new Guid[Writers];
        for (var w = 2; w < Writers; w += 4)
        {
            searches[w] = (await ledger.AppendNewSearchAsync(Ledger, Actor, SampleEvents.Logged(now, "existing-" + w), null, CancellationToken.None)).SearchId!.Value;
        }
        return searches;
    }

    private static async Task<AppendResult?> Some(Task<AppendResult> append) => await append;

    private static string Marker(int writer, int i) => $"w{writer}-{i}";

    private static IdempotencyClaim Claim(int writer, int i) => IdempotencyClaims.For("key-" + Marker(writer, i), "request-" + Marker(writer, i));

    /// <summary>The marker an event carries (client reference, reminder key or review note).</summary>
    private static string MarkerOf(RecordedEvent e) => e.Event switch
    {
        SearchLogged l => l.Entry.ClientRef,
        ReminderSent r => r.ReminderKey[..r.ReminderKey.IndexOf('@', StringComparison.Ordinal)],
        SupervisorReviewed s => s.Note!,
        _ => throw new InvalidOperationException("Unexpected event " + e.Header.Type),
    };

    [Fact]
    public async Task AppendAsync_64WritersOnOneLedger_CommittedInGroups_ChainLinearEachAppendStoredOnce()
    {
        var counter = new BatchCounter();
        var table = Table(azurite.Server.ConnectionString, AzuriteFixture.NewTableName(), counter);
        var ledger = CreateSut(table);
        var now = TimeProvider.System.GetUtcNow();
        var searches = await LogExistingSearchesAsync(ledger, now);
        var before = (await ledger.GetHeadAsync(Ledger, CancellationToken.None))!.Sequence;
        var batchesBefore = counter.Batches;
        const int each = 4;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            var mine = new List<(string Marker, AppendResult Result)>();
            for (var i = 0; i < each; i++)
            {
                mine.Add((Marker(w, i), (await AppendKindAsync(ledger, w, i, searches[w], now))!));
            }
            return mine;
        })).ToArray();
        start.SetResult();
        var acknowledged = (await Task.WhenAll(writers)).SelectMany(m => m).ToList();
        var batches = counter.Batches - batchesBefore;

        var appends = Writers * each;
        Assert.Equal(Enumerable.Range((int)before + 1, appends).Select(s => (long)s), acknowledged.Select(a => a.Result.Sequence).Order());
        Assert.True(batches < appends / 2, $"{batches} transactions for {appends} appends: the writers were not committed in groups.");
        var stored = await ledger.ReadAsync(Ledger, before + 1, null, CancellationToken.None).ToListAsync();
        Assert.Equal(appends, stored.Count);
        var byMarker = stored.ToDictionary(MarkerOf, e => (e.Header.Sequence, e.Hash));
        Assert.All(acknowledged, a => Assert.Equal((a.Result.Sequence, a.Result.Hash), byMarker[a.Marker]));
        var verification = await ledger.VerifyAsync(Ledger, CancellationToken.None);
        Assert.True(verification.Ok, verification.Problem?.Detail);
        Assert.Equal(before + appends, verification.Events);
        // Each existing search saw its writer's reminders in order (each decision on the state before it).
        for (var w = 2; w < Writers; w += 4)
        {
            var p = await ledger.GetSearchAsync(Ledger, searches[w], CancellationToken.None);
            Assert.Equal(Enumerable.Range(0, each).Select(i => Marker(w, i) + "@" + i), p!.RemindersSent);
        }
        Assert.Equal(before + (Writers / 4 * each * 2), (await ledger.ListSearchesAsync(Ledger, CancellationToken.None).ToListAsync()).Count);

        // Every idempotent request again, all at once (from a second host, too): each replays its original.
        var second = CreateSut(table);
        var results = acknowledged.ToDictionary(a => a.Marker, a => a.Result);
        var replays = await Task.WhenAll(Enumerable.Range(0, Writers).Where(w => w % 4 is 0 or 2).SelectMany(w => Enumerable.Range(0, each).Select(i => (w, i)))
            .Select(async r => (Original: results[Marker(r.w, r.i)], Replay: (await AppendKindAsync(r.i % 2 == 0 ? ledger : second, r.w, r.i, searches[r.w], now))!)));
        Assert.Equal(Writers / 2 * each, replays.Length);
        Assert.All(replays, r => Assert.Equal(r.Original with { Replayed = true }, r.Replay));
        Assert.Equal(before + appends, (await ledger.GetHeadAsync(Ledger, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task AppendAsync_SameClaimFromConcurrentWriters_OneEventEachTheOthersReplayIt()
    {
        var ledger = CreateSut(azurite.NewTable());
        await ledger.AppendAsync(Ledger, Actor, null, _ => new KeyRotated("data", "k1"), CancellationToken.None);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // 32 requests, each sent by two writers at once (a phone's retry racing its original).
        var results = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            var claim = IdempotencyClaims.For("key-" + (w / 2), "request-" + (w / 2));
            return (Request: w / 2, Result: (await ledger.AppendAsync(Ledger, Actor, null, _ => new SupervisorReviewed(null, "reviewer", ReviewOutcomes.Concern, "r" + (w / 2)), claim, CancellationToken.None))!);
        })).ToArray();
        start.SetResult();
        var all = await Task.WhenAll(results);

        Assert.All(all.GroupBy(r => r.Request), pair =>
        {
            var (a, b) = (pair.First().Result, pair.Last().Result);
            Assert.Equal(a with { Replayed = false }, b with { Replayed = false });
            Assert.Single(pair, r => !r.Result.Replayed);
        });
        var stored = await ledger.ReadAsync(Ledger, 2, null, CancellationToken.None).ToListAsync();
        Assert.Equal(Enumerable.Range(0, Writers / 2).Select(r => "r" + r).Order(StringComparer.Ordinal),
            stored.Select(e => ((SupervisorReviewed)e.Event).Note!).Order(StringComparer.Ordinal));
        Assert.True((await ledger.VerifyAsync(Ledger, CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task AppendAsync_StorageCutWhileGroupsAreInFlight_NoAcknowledgedAppendLostNoUnstoredOneAcknowledged()
    {
        await using var proxy = TcpFaultProxy.Start(azurite.Server.Port);
        var name = AzuriteFixture.NewTableName();
        var viaProxy = azurite.Server.ConnectionString.Replace($":{azurite.Server.Port}/", $":{proxy.Port}/", StringComparison.Ordinal);
        // No SDK retries: the cut reaches the ledger at once, as a long outage would.
        var ledger = CreateSut(Table(viaProxy, name, maxRetries: 0));
        var now = TimeProvider.System.GetUtcNow();
        var searches = await LogExistingSearchesAsync(ledger, now);
        var before = (await ledger.GetHeadAsync(Ledger, CancellationToken.None))!.Sequence;
        const int each = 6;
        var acknowledgedCount = 0;
        var failures = 0;
        var cutNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var mine = new List<(string Marker, AppendResult Result)>();
            for (var i = 0; i < each; i++)
            {
                // Only the idempotent kinds retry (a phone's retry with its key); the others give up on an outage.
                while (true)
                {
                    try
                    {
                        mine.Add((Marker(w, i), (await AppendKindAsync(ledger, w, i, searches[w], now))!));
                        if (Interlocked.Increment(ref acknowledgedCount) == Writers)
                        {
                            cutNow.TrySetResult();
                        }
                        break;
                    }
                    catch (LedgerUnavailableException)
                    {
                        Interlocked.Increment(ref failures);
                        failed.TrySetResult();
                        await restored.Task;
                        if (w % 4 is 1 or 3)
                        {
                            break;
                        }
                    }
                }
            }
            return mine;
        })).ToArray();
        await cutNow.Task;
        proxy.Cut();
        await failed.Task;
        proxy.Restore();
        restored.SetResult();
        var acknowledged = (await Task.WhenAll(writers)).SelectMany(m => m).ToList();

        Assert.True(failures > 0, "The cut failed no append.");
        var reader = CreateSut(Table(azurite.Server.ConnectionString, name));
        var stored = await reader.ReadAsync(Ledger, before + 1, null, CancellationToken.None).ToListAsync();
        var verification = await reader.VerifyAsync(Ledger, CancellationToken.None);
        Assert.True(verification.Ok, verification.Problem?.Detail);
        Assert.Equal(Enumerable.Range((int)before + 1, stored.Count).Select(s => (long)s), stored.Select(e => e.Header.Sequence));
        // Acknowledged means stored, exactly where the result says; an idempotent request is stored exactly once.
        var byMarker = stored.GroupBy(MarkerOf).ToDictionary(g => g.Key, g => g.Select(e => (e.Header.Sequence, e.Hash)).ToList());
        Assert.All(acknowledged, a => Assert.Contains((a.Result.Sequence, a.Result.Hash), byMarker[a.Marker]));
        Assert.All(byMarker, m => Assert.Single(m.Value));
        var idempotent = Enumerable.Range(0, Writers).Where(w => w % 4 is 0 or 2).SelectMany(w => Enumerable.Range(0, each).Select(i => Marker(w, i))).ToList();
        Assert.All(idempotent, m => Assert.Contains(acknowledged, a => a.Marker == m));
        // What failed may have been stored (the outage hid the answer), but nothing was stored twice and nothing else.
        Assert.All(byMarker.Keys, m => Assert.Matches("^w[0-9]+-[0-9]+$", m));
    }
}

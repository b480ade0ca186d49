using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Infrastructure.Tests.Support;
using WelfareAudit.Testing;

namespace WelfareAudit.Infrastructure.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public class TableLedgerTests(AzuriteFixture azurite)
{
    private const string Ledger = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    private const string Actor = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    private readonly IKeyRing _keys = TestKeyRing.Create();

    private TableLedger CreateSut(TableClient? table = null, IKeyRing? keys = null, int maxAttempts = 60) =>
        new(table ?? azurite.NewTable(), keys ?? _keys, TimeProvider.System, new LedgerOptions { MaxAppendAttempts = maxAttempts }, NullLogger<TableLedger>.Instance);

    private static Task<AppendResult?> Append(ILedger ledger, LedgerEvent evt) =>
        ledger.AppendAsync(Ledger, Actor, evt.SearchId, _ => evt, CancellationToken.None);

    private async Task<(TableLedger Ledger, Markers Markers, SearchLogged Logged)> LedgerWithLifecycleAsync()
    {
        var ledger = CreateSut();
        var markers = new Markers();
        var now = TimeProvider.System.GetUtcNow();
        var logged = await markers.LoggedAsync(_keys, now);
        await Append(ledger, logged);
        await Append(ledger, new NextSessionSet(logged.Id, now.AddDays(3)));
        await Append(ledger, new ReminderSent(logged.Id, "sessionMorning", "sessionMorning@1", now.AddDays(3), "email"));
        await Append(ledger, new DiscussedWithClient(logged.Id, now, markers.Note, markers.Response));
        await Append(ledger, new KeyRotated("data", "k2"));
        return (ledger, markers, logged);
    }

    [Fact]
    public async Task AppendAsync_Lifecycle_ReadsBackEveryEventAndProjection()
    {
        var (ledger, markers, logged) = await LedgerWithLifecycleAsync();

        var events = await ledger.ReadAsync(Ledger, 1, null, CancellationToken.None).ToListAsync();
        var projection = await ledger.GetSearchAsync(Ledger, logged.Id, CancellationToken.None);
        var head = await ledger.GetHeadAsync(Ledger, CancellationToken.None);

        Assert.Equal([1L, 2, 3, 4, 5], events.Select(e => e.Header.Sequence));
        var readLogged = Assert.IsType<SearchLogged>(events[0].Event);
        Assert.Equal(logged.Entry.ClientRef, readLogged.Entry.ClientRef);
        Assert.Equal(logged.Entry.Justification, readLogged.Entry.Justification);
        Assert.Equal(logged.Entry.Crisis.ContactAttempts, readLogged.Entry.Crisis.ContactAttempts);
        Assert.Equal(logged.Entry.Scope.Sources, readLogged.Entry.Scope.Sources);
        Assert.Equal(logged.Entry.ThirdPartyContacted, readLogged.Entry.ThirdPartyContacted);
        Assert.Equal(markers.Note, Assert.IsType<DiscussedWithClient>(events[3].Event).Note);
        Assert.Equal(SearchState.Discussed, projection!.State);
        Assert.Equal(["sessionMorning@1"], projection.RemindersSent);
        Assert.Equal(4, projection.LastSequence);
        Assert.Equal(5, head!.Sequence);
        Assert.Equal(events[^1].Hash, head.Hash);
        Assert.True((await ledger.VerifyAsync(Ledger, CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task AppendAsync_RawRows_HoldNoClientTextInClear()
    {
        var (ledger, markers, _) = await LedgerWithLifecycleAsync();

        var rows = await ledger.Table.QueryAsync<TableEntity>().ToListAsync();

        Assert.True(rows.Count >= 7);
        var scanned = 0;
        foreach (var row in rows)
        {
            foreach (var (name, value) in row)
            {
                var text = value switch
                {
                    string s => s,
                    byte[] b => Encoding.UTF8.GetString(b) + Convert.ToBase64String(b),
                    _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                };
                scanned++;
                foreach (var marker in markers.All)
                {
                    Assert.False(text.Contains(marker, StringComparison.OrdinalIgnoreCase), $"Row {row.RowKey} property {name} holds client text in clear.");
                }
            }
        }
        Assert.True(scanned > 50);
    }

    [Fact]
    public async Task AppendAsync_FieldOverStorageLimit_FailsAndWritesNothing()
    {
        var ledger = CreateSut();
        var logged = await new Markers().LoggedAsync(_keys, TimeProvider.System.GetUtcNow());
        await Append(ledger, logged);
        var huge = new string('x', TableLimits.MaxPropertyBytes);

        await Assert.ThrowsAsync<StorageLimitException>(() => Append(ledger, new DiscussedWithClient(logged.Id, TimeProvider.System.GetUtcNow(), huge, null)));

        Assert.Equal(1, (await ledger.GetHeadAsync(Ledger, CancellationToken.None))!.Sequence);
        Assert.Equal(SearchState.AwaitingDiscussion, (await ledger.GetSearchAsync(Ledger, logged.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task AppendAsync_TransactionFails_NothingOfItIsWritten()
    {
        var ledger = CreateSut(maxAttempts: 3);
        await Append(ledger, new KeyRotated("data", "k1"));
        // A stray row occupying the next sequence makes the event insert fail inside the transaction.
        await ledger.Table.AddEntityAsync(new TableEntity(Ledger, RowKeys.Event(2)) { ["Stray"] = true });
        var logged = await new Markers().LoggedAsync(_keys, TimeProvider.System.GetUtcNow());

        // Not a race (the head never moved): a row the ledger never wrote sits beyond the head.
        var failure = await Assert.ThrowsAsync<LedgerIntegrityException>(() => Append(ledger, logged));
        Assert.Equal((2L, LedgerProblemKind.InsertedRow), (failure.Problem.Sequence, failure.Problem.Kind));

        Assert.Equal(1, (await ledger.GetHeadAsync(Ledger, CancellationToken.None))!.Sequence);
        Assert.Null(await ledger.GetSearchAsync(Ledger, logged.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_ConcurrentWritersOnFourHosts_ChainStaysLinear()
    {
        // 16 appenders x 10 events on one ledger, spread over four ledger instances that share nothing
        // but the table (as four scaled-out hosts would): only the head's ETag keeps them in line. The first
        // decision on each host waits until all four hosts have decided, so four appends race for the same
        // head at once: at least three lose and decide again. (The race is forced instead of hoped for, so
        // 160 events prove what 1,600 did, in a tenth of the storage round trips.)
        var table = azurite.NewTable();
        var hosts = Enumerable.Range(0, 4).Select(_ => CreateSut(table, maxAttempts: 200)).ToArray();
        using var together = new Barrier(hosts.Length);
        var firstDecisionDone = new int[hosts.Length];
        var decisions = 0;

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(async writer =>
        {
            var host = writer % hosts.Length;
            var sequences = new List<long>();
            for (var i = 0; i < 10; i++)
            {
                var r = await hosts[host].AppendAsync(Ledger, Actor, null, _ =>
                {
                    Interlocked.Increment(ref decisions);
                    if (Interlocked.Exchange(ref firstDecisionDone[host], 1) == 0 && !together.SignalAndWait(TimeSpan.FromMinutes(1)))
                    {
                        throw new TimeoutException("The four hosts did not all reach their first decision.");
                    }
                    return new SupervisorReviewed(null, "w" + writer, ReviewOutcomes.Concern, "n" + i);
                }, CancellationToken.None);
                sequences.Add(r!.Sequence);
            }
            return sequences;
        }));

        var all = results.SelectMany(s => s).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 160).Select(i => (long)i), all);
        Assert.True(decisions >= 160 + 3, $"Only {decisions} decisions for 160 appends: the hosts never raced.");
        var read = await hosts[0].ReadAsync(Ledger, 1, null, CancellationToken.None).ToListAsync();
        Assert.Equal(160, read.Count);
        var verification = await hosts[1].VerifyAsync(Ledger, CancellationToken.None);
        Assert.True(verification.Ok, verification.Problem?.Detail);
        Assert.Equal(160, verification.Events);
    }

    [Fact]
    public async Task ReadAsync_AfterKeyRotation_DecryptsOldAndNewEvents()
    {
        var ledger = CreateSut();
        var before = new Markers();
        var after = new Markers();
        var now = TimeProvider.System.GetUtcNow();
        await Append(ledger, await before.LoggedAsync(_keys, now));
        var oldKey = await _keys.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);
        var newKey = await _keys.RotateAsync(KeyPurpose.Data, CancellationToken.None);
        await Append(ledger, new KeyRotated("data", newKey.KeyId));
        await Append(ledger, await after.LoggedAsync(_keys, now));

        var events = await ledger.ReadAsync(Ledger, 1, null, CancellationToken.None).ToListAsync();
        var rows = await ledger.ReadSealedAsync(Ledger, 1, null, CancellationToken.None).ToListAsync();

        Assert.Equal(before.ClientRef, Assert.IsType<SearchLogged>(events[0].Event).Entry.ClientRef);
        Assert.Equal(after.ClientRef, Assert.IsType<SearchLogged>(events[2].Event).Entry.ClientRef);
        Assert.Equal(oldKey.KeyId, FieldEnvelope.ReadKeyId((byte[])rows[0]["S_clientRef"]));
        Assert.Equal(newKey.KeyId, FieldEnvelope.ReadKeyId((byte[])rows[2]["S_clientRef"]));
        Assert.True((await ledger.VerifyAsync(Ledger, CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task ListLedgersAsync_HeadOrEveryEventDeleted_LedgerStillListedOnce()
    {
        var ledger = CreateSut();
        var now = TimeProvider.System.GetUtcNow();
        await Append(ledger, await new Markers().LoggedAsync(_keys, now));
        await Append(ledger, await new Markers().LoggedAsync(_keys, now));
        await ledger.AppendAsync("practice", "system", null, _ => new KeyRotated("data", "k"), CancellationToken.None);
        await ledger.AppendAsync("other", "system", null, _ => new KeyRotated("data", "k"), CancellationToken.None);
        await ledger.Table.DeleteEntityAsync(Ledger, RowKeys.Head);
        await ledger.Table.DeleteEntityAsync("practice", RowKeys.Head);
        await ledger.Table.DeleteEntityAsync("practice", RowKeys.Event(1));
        await ledger.Table.AddEntityAsync(new TableEntity("practice", RowKeys.Lease("reminders")) { ["Holder"] = "x" });

        var ledgers = await ledger.ListLedgersAsync(CancellationToken.None).ToListAsync();

        Assert.Equal(new[] { Ledger, "other", "practice" }.Order(StringComparer.Ordinal), ledgers);
    }

    [Fact]
    public async Task AppendAsync_HeadDeletedWhileCached_LedgerIntegrityNotAServerError()
    {
        var ledger = CreateSut();
        await Append(ledger, new KeyRotated("data", "k1"));
        await ledger.Table.DeleteEntityAsync(Ledger, RowKeys.Head);

        var failure = await Assert.ThrowsAsync<LedgerIntegrityException>(() => Append(ledger, new KeyRotated("data", "k2")));
        var again = await Assert.ThrowsAsync<LedgerIntegrityException>(() => Append(ledger, new KeyRotated("data", "k3")));

        Assert.Equal(Ledger, failure.LedgerId);
        Assert.Equal(LedgerProblemKind.MissingHead, again.Problem.Kind);
        Assert.Single(await ledger.ReadSealedAsync(Ledger, 1, null, CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task AppendAsync_PartitionEmptiedWhileCached_LedgerIntegrityAndNoNewChainStarted()
    {
        var ledger = CreateSut();
        await Append(ledger, new KeyRotated("data", "k1"));
        await Append(ledger, new KeyRotated("data", "k2"));
        await foreach (var row in ledger.Table.QueryAsync<TableEntity>(e => e.PartitionKey == Ledger))
        {
            await ledger.Table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        await Assert.ThrowsAsync<LedgerIntegrityException>(() => Append(ledger, new KeyRotated("data", "k3")));

        Assert.Empty(await ledger.Table.QueryAsync<TableEntity>(e => e.PartitionKey == Ledger).ToListAsync());
    }

    [Fact]
    public async Task AppendAsync_IdempotencyRow_StoresAKeyedMacThatStillReplays()
    {
        var ledger = CreateSut();
        var requestHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("{}"u8));
        var claim = new IdempotencyClaim(new string('a', 64), requestHash);

        var first = await ledger.AppendAsync(Ledger, Actor, null, _ => new KeyRotated("data", "k1"), claim, CancellationToken.None);
        var replay = await ledger.AppendAsync(Ledger, Actor, null, _ => new KeyRotated("data", "k1"), claim, CancellationToken.None);
        var row = (await ledger.Table.GetEntityAsync<TableEntity>(Ledger, RowKeys.Idempotency(claim.KeyHash))).Value;

        Assert.True(replay!.Replayed);
        Assert.Equal(first!.Sequence, replay.Sequence);
        Assert.All(row.Where(p => p.Value is string), p => Assert.DoesNotContain(requestHash, (string)p.Value!, StringComparison.OrdinalIgnoreCase));
        await Assert.ThrowsAsync<IdempotencyConflictException>(() =>
            ledger.AppendAsync(Ledger, Actor, null, _ => new KeyRotated("data", "k1"), claim with { RequestHash = new string('0', 64) }, CancellationToken.None));
    }
}

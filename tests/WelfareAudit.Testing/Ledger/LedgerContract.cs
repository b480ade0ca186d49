using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using Xunit;

namespace WelfareAudit.Testing;

/// <summary>
/// What the use cases rely on from any <see cref="ILedger"/>, as tests every store must pass: one subclass
/// per store (InMemoryLedgerContractTests in Core.Tests, TableLedgerContractTests in Infrastructure.Tests,
/// on Azurite). It knows only the interface. What only one store can get wrong (tampered rows, Table
/// limits, ETag races between hosts) is tested in that store's own test class.
/// </summary>
public abstract class LedgerContract
{
    protected const string LedgerA = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1a0";
    protected const string LedgerB = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1b0";
    protected const string Actor = "actor-1";

    /// <summary>The clock of the ledgers of this test (record times, lease expiry).</summary>
    protected ManualClock Time { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero));

    /// <summary>
    /// <paramref name="hosts"/> ledgers over one new, empty store, on <see cref="Time"/>: what separate
    /// processes (scaled-out instances, the timer and HTTP hosts) see of the same storage.
    /// </summary>
    protected abstract Task<IReadOnlyList<ILedger>> CreateHostsAsync(int hosts);

    protected async Task<ILedger> CreateLedgerAsync() => (await CreateHostsAsync(1))[0];

    protected SearchLogged NewSearch(string clientRef = "CL-1") => SampleEvents.Logged(Time.GetUtcNow(), clientRef);

    private static Task<AppendResult?> Append(ILedger ledger, LedgerEvent evt, string ledgerId = LedgerA) =>
        ledger.AppendAsync(ledgerId, Actor, evt.SearchId, _ => evt, CancellationToken.None);

    [Fact]
    public async Task AppendAsync_Events_ChainInOrderAndReadBackAsWritten()
    {
        var ledger = await CreateLedgerAsync();
        var logged = NewSearch("CL-ÅÖ-1");
        LedgerEvent[] events =
        [
            logged,
            new NextSessionSet(logged.Id, Time.GetUtcNow().AddDays(2)),
            new DiscussedWithClient(logged.Id, Time.GetUtcNow(), "We talked.\nThe client understood. ✓", null),
            new KeyRotated("data", "k2"),
        ];
        var results = new List<AppendResult>();
        foreach (var evt in events)
        {
            results.Add((await Append(ledger, evt))!);
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var read = await ledger.ReadAsync(LedgerA, 1, null, CancellationToken.None).ToListAsync();
        var head = await ledger.GetHeadAsync(LedgerA, CancellationToken.None);

        Assert.Equal([1L, 2, 3, 4], results.Select(r => r.Sequence));
        Assert.Equal([1L, 2, 3, 4], read.Select(e => e.Header.Sequence));
        Assert.Equal(results.Select(r => r.Hash), read.Select(e => e.Hash));
        Assert.Equal(results.Select(r => r.RecordedAt), read.Select(e => e.Header.RecordedAt));
        Assert.Equal(results[0].RecordedAt.AddMinutes(3), results[3].RecordedAt);
        Assert.All(read, e => Assert.Equal(Actor, e.Header.Actor));
        Assert.Equal(events.Select(e => e.Type), read.Select(e => e.Header.Type));
        Assert.Equal(logged.Entry.ClientRef, Assert.IsType<SearchLogged>(read[0].Event).Entry.ClientRef);
        Assert.Equal(logged.Entry.Crisis.ContactAttempts, Assert.IsType<SearchLogged>(read[0].Event).Entry.Crisis.ContactAttempts);
        Assert.Equal(events[2], read[2].Event);
        Assert.Equal(new LedgerHead(LedgerA, 4, results[3].Hash), head);
        Assert.Equal(logged.Id, results[0].SearchId);
        Assert.Null(results[3].SearchId);
        Assert.Equal(results.Select(r => r.Hash).Distinct().Count(), results.Count);
    }

    [Fact]
    public async Task ReadAsync_Range_ReturnsThoseEventsOnly()
    {
        var ledger = await CreateLedgerAsync();
        for (var i = 0; i < 6; i++)
        {
            await Append(ledger, new KeyRotated("data", "k" + i));
        }

        var middle = await ledger.ReadAsync(LedgerA, 2, 4, CancellationToken.None).ToListAsync();
        var tail = await ledger.ReadAsync(LedgerA, 5, null, CancellationToken.None).ToListAsync();
        var one = await ledger.ReadAsync(LedgerA, 6, 6, CancellationToken.None).ToListAsync();
        var beyond = await ledger.ReadAsync(LedgerA, 7, null, CancellationToken.None).ToListAsync();
        var unknown = await ledger.ReadAsync(LedgerB, 1, null, CancellationToken.None).ToListAsync();

        Assert.Equal([2L, 3, 4], middle.Select(e => e.Header.Sequence));
        Assert.Equal([5L, 6], tail.Select(e => e.Header.Sequence));
        Assert.Equal("k5", Assert.IsType<KeyRotated>(Assert.Single(one).Event).KeyId);
        Assert.Empty(beyond);
        Assert.Empty(unknown);
    }

    [Fact]
    public async Task AppendAsync_SearchEvents_KeepItsProjection()
    {
        var ledger = await CreateLedgerAsync();
        var logged = NewSearch();
        var loggedAt = Time.GetUtcNow();
        await Append(ledger, logged);
        await Append(ledger, new KeyRotated("data", "k2"));
        Time.Advance(TimeSpan.FromHours(1));
        await Append(ledger, new ReminderSent(logged.Id, "beforeSession", "beforeSession@x#email", null, "email"));
        var discussedAt = Time.GetUtcNow();
        await Append(ledger, new DiscussedWithClient(logged.Id, discussedAt, null, null));

        var p = await ledger.GetSearchAsync(LedgerA, logged.Id, CancellationToken.None);

        Assert.NotNull(p);
        Assert.Equal((logged.Id, LedgerA, 1L, 4L), (p.SearchId, p.LedgerId, p.LoggedSequence, p.LastSequence));
        Assert.Equal(SearchState.Discussed, p.State);
        Assert.Equal(discussedAt, p.DiscussedAt);
        Assert.Equal(loggedAt, p.LoggedAt);
        Assert.Equal(logged.Entry.OccurredAt, p.OccurredAt);
        Assert.Equal(logged.Entry.NextSessionAt, p.NextSessionAt);
        Assert.Equal(logged.ClientIndex, p.ClientIndex);
        Assert.Equal(["beforeSession@x#email"], p.RemindersSent);
        Assert.Equal(loggedAt.AddHours(1), p.LastReminderAt);
    }

    [Fact]
    public async Task ListSearchesAsync_InState_ReturnsExactlyTheSearchesInThatState()
    {
        var ledger = await CreateLedgerAsync();
        var open = NewSearch("CL-OPEN");
        var discussed = NewSearch("CL-DISCUSSED");
        var closed = NewSearch("CL-CLOSED");
        var otherLedger = NewSearch("CL-B");
        foreach (var logged in new[] { open, discussed, closed })
        {
            await Append(ledger, logged);
        }
        await Append(ledger, otherLedger, LedgerB);
        await Append(ledger, new DiscussedWithClient(discussed.Id, Time.GetUtcNow(), null, null));
        await Append(ledger, new EntryAmended(closed.Id, "status", "closed", "logged in error", true));

        var all = await ledger.ListSearchesAsync(LedgerA, CancellationToken.None).ToListAsync();
        var byState = new Dictionary<SearchState, List<Guid>>();
        foreach (var state in Enum.GetValues<SearchState>())
        {
            byState[state] = [.. (await ledger.ListSearchesAsync(LedgerA, state, CancellationToken.None).ToListAsync()).Select(p => p.SearchId).Order()];
        }

        Assert.Equal([open.Id], byState[SearchState.AwaitingDiscussion]);
        Assert.Equal([discussed.Id], byState[SearchState.Discussed]);
        Assert.Equal([closed.Id], byState[SearchState.Closed]);
        foreach (var state in Enum.GetValues<SearchState>())
        {
            Assert.Equal([.. all.Where(p => p.State == state).Select(p => p.SearchId).Order()], byState[state]);
        }
    }

    [Fact]
    public async Task AppendAsync_Decision_SeesTheCurrentProjection()
    {
        var ledger = await CreateLedgerAsync();
        var logged = NewSearch();
        await Append(ledger, logged);
        await Append(ledger, new NextSessionSet(logged.Id, null));
        var seen = new List<SearchProjection?>();

        await ledger.AppendAsync(LedgerA, Actor, logged.Id, p => { seen.Add(p); return null; }, CancellationToken.None);
        await ledger.AppendAsync(LedgerA, Actor, Guid.NewGuid(), p => { seen.Add(p); return null; }, CancellationToken.None);

        Assert.Equal(2L, seen[0]!.LastSequence);
        Assert.Null(seen[0]!.NextSessionAt);
        Assert.Null(seen[^1]);
    }

    [Fact]
    public async Task AppendAsync_DecisionReturnsNull_AppendsNothing()
    {
        var ledger = await CreateLedgerAsync();

        var result = await ledger.AppendAsync(LedgerA, Actor, null, _ => null, CancellationToken.None);

        Assert.Null(result);
        Assert.Null(await ledger.GetHeadAsync(LedgerA, CancellationToken.None));
        Assert.Empty(await ledger.ListLedgersAsync(CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task AppendAsync_DecisionThrows_RefusesAndAppendsNothing()
    {
        var ledger = await CreateLedgerAsync();
        await Append(ledger, new KeyRotated("data", "k1"));

        await Assert.ThrowsAsync<ConflictRefusal>(() => ledger.AppendAsync(LedgerA, Actor, null, _ => throw new ConflictRefusal(), CancellationToken.None));

        Assert.Equal(1, (await ledger.GetHeadAsync(LedgerA, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task AppendAsync_EventOfAnotherSearch_IsRefused()
    {
        var ledger = await CreateLedgerAsync();
        var logged = NewSearch();

        await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.AppendAsync(LedgerA, Actor, Guid.NewGuid(), _ => logged, CancellationToken.None));

        Assert.Null(await ledger.GetHeadAsync(LedgerA, CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_EventOfUnloggedSearch_IsRefused()
    {
        var ledger = await CreateLedgerAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Append(ledger, new NextSessionSet(Guid.NewGuid(), null)));

        Assert.Null(await ledger.GetHeadAsync(LedgerA, CancellationToken.None));
    }

    [Fact]
    public async Task AppendNewSearchAsync_IdTaken_IsRefused()
    {
        var ledger = await CreateLedgerAsync();
        var logged = NewSearch();
        await ledger.AppendNewSearchAsync(LedgerA, Actor, logged, null, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.AppendNewSearchAsync(LedgerA, Actor, logged, null, CancellationToken.None));

        Assert.Equal(1, (await ledger.GetHeadAsync(LedgerA, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task AppendAsync_SameIdempotencyClaimAgain_ReplaysTheOriginal()
    {
        var ledger = await CreateLedgerAsync();
        var logged = NewSearch();
        await Append(ledger, logged);
        var claim = IdempotencyClaims.For("key-1", "request-1");
        var decisions = 0;
        LedgerEvent? Decide(SearchProjection? p)
        {
            decisions++;
            return p!.State == SearchState.AwaitingDiscussion ? new DiscussedWithClient(logged.Id, Time.GetUtcNow(), null, null) : throw new ConflictRefusal();
        }

        var first = await ledger.AppendAsync(LedgerA, Actor, logged.Id, Decide, claim, CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = await ledger.AppendAsync(LedgerA, Actor, logged.Id, Decide, claim, CancellationToken.None);

        Assert.False(first!.Replayed);
        Assert.True(second!.Replayed);
        Assert.Equal(first with { Replayed = true }, second);
        Assert.Equal(2, (await ledger.GetHeadAsync(LedgerA, CancellationToken.None))!.Sequence);
        Assert.InRange(decisions, 1, 2);
    }

    [Fact]
    public async Task AppendNewSearchAsync_SameIdempotencyClaimAgain_ReplaysTheFirstSearch()
    {
        var ledger = await CreateLedgerAsync();
        var claim = IdempotencyClaims.For("key-new", "request-new");
        var first = NewSearch("CL-1");
        var retry = NewSearch("CL-1"); // a retried request gets a new id from the use case

        var original = await ledger.AppendNewSearchAsync(LedgerA, Actor, first, claim, CancellationToken.None);
        var replayed = await ledger.AppendNewSearchAsync(LedgerA, Actor, retry, claim, CancellationToken.None);

        Assert.Equal(first.Id, replayed.SearchId);
        Assert.Equal(original with { Replayed = true }, replayed);
        Assert.Equal([first.Id], (await ledger.ListSearchesAsync(LedgerA, CancellationToken.None).ToListAsync()).Select(s => s.SearchId));
        Assert.Null(await ledger.GetSearchAsync(LedgerA, retry.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_IdempotencyKeyReusedForAnotherRequest_IsRefused()
    {
        var ledger = await CreateLedgerAsync();
        await ledger.AppendAsync(LedgerA, Actor, null, _ => new KeyRotated("data", "k1"), IdempotencyClaims.For("key-1", "request-1"), CancellationToken.None);

        await Assert.ThrowsAsync<IdempotencyConflictException>(() =>
            ledger.AppendAsync(LedgerA, Actor, null, _ => new KeyRotated("data", "k2"), IdempotencyClaims.For("key-1", "request-2"), CancellationToken.None));

        Assert.Equal(1, (await ledger.GetHeadAsync(LedgerA, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task AppendAsync_ClaimThatIsNotAHash_IsRefused()
    {
        var ledger = await CreateLedgerAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            ledger.AppendAsync(LedgerA, Actor, null, _ => new KeyRotated("data", "k1"), new IdempotencyClaim("the raw key", "body"), CancellationToken.None));

        Assert.Null(await ledger.GetHeadAsync(LedgerA, CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_ConcurrentWritersOnSeveralHosts_ChainStaysLinear()
    {
        var hosts = await CreateHostsAsync(3);

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(async writer =>
        {
            var mine = new List<AppendResult>();
            for (var i = 0; i < 5; i++)
            {
                mine.Add((await hosts[writer % hosts.Count].AppendAsync(LedgerA, Actor, null, _ => new SupervisorReviewed(null, "w" + writer, ReviewOutcomes.Concern, "n" + i), CancellationToken.None))!);
            }
            return mine;
        }));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), all.Select(r => r.Sequence).Order());
        var read = await hosts[0].ReadAsync(LedgerA, 1, null, CancellationToken.None).ToListAsync();
        Assert.Equal(all.OrderBy(r => r.Sequence).Select(r => r.Hash), read.Select(e => e.Hash));
        var verification = await hosts[^1].VerifyAsync(LedgerA, CancellationToken.None);
        Assert.True(verification.Ok, verification.Problem?.Detail);
        Assert.Equal(60, verification.Events);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentDecisionsOnOneSearch_EachAppendedOnTheStateItSaw()
    {
        // A decision may run more than once (a writer that lost a race decides again on the new state):
        // whatever ran, only a decision made on the state it extends may be appended.
        var hosts = await CreateHostsAsync(3);
        var logged = NewSearch();
        await Append(hosts[0], logged);
        var decisions = 0;

        await Task.WhenAll(Enumerable.Range(0, 9).Select(writer => hosts[writer % hosts.Count].AppendAsync(LedgerA, Actor, logged.Id, p =>
        {
            Interlocked.Increment(ref decisions);
            return new ReminderSent(logged.Id, "overdue", "after-" + p!.RemindersSent.Count, null, "email");
        }, CancellationToken.None)));

        var p = await hosts[0].GetSearchAsync(LedgerA, logged.Id, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => "after-" + i), p!.RemindersSent);
        Assert.True(decisions >= 9);
        Assert.True((await hosts[1].VerifyAsync(LedgerA, CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_HeldByAnother_RefusedUntilItExpires()
    {
        var hosts = await CreateHostsAsync(2);
        var duration = TimeSpan.FromMinutes(5);

        var first = await hosts[0].TryAcquireLeaseAsync(LedgerA, "reminders", "h1", duration, CancellationToken.None);
        var other = await hosts[1].TryAcquireLeaseAsync(LedgerA, "reminders", "h2", duration, CancellationToken.None);
        var renewed = await hosts[0].TryAcquireLeaseAsync(LedgerA, "reminders", "h1", duration, CancellationToken.None);
        var otherName = await hosts[1].TryAcquireLeaseAsync(LedgerA, "checkpoint", "h2", duration, CancellationToken.None);
        var otherLedger = await hosts[1].TryAcquireLeaseAsync(LedgerB, "reminders", "h2", duration, CancellationToken.None);
        Time.Advance(duration - TimeSpan.FromSeconds(1));
        var stillHeld = await hosts[1].TryAcquireLeaseAsync(LedgerA, "reminders", "h2", duration, CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(2));
        var afterExpiry = await hosts[1].TryAcquireLeaseAsync(LedgerA, "reminders", "h2", duration, CancellationToken.None);
        var formerHolder = await hosts[0].TryAcquireLeaseAsync(LedgerA, "reminders", "h1", duration, CancellationToken.None);

        Assert.Equal((true, false, true, true, true), (first, other, renewed, otherName, otherLedger));
        Assert.False(stillHeld);
        Assert.True(afterExpiry);
        Assert.False(formerHolder);
    }

    [Fact]
    public async Task ReleaseLeaseAsync_ByHolder_FreesIt_ByAnother_DoesNothing()
    {
        var hosts = await CreateHostsAsync(2);
        var duration = TimeSpan.FromMinutes(5);
        await hosts[0].TryAcquireLeaseAsync(LedgerA, "reminders", "h1", duration, CancellationToken.None);

        await hosts[1].ReleaseLeaseAsync(LedgerA, "reminders", "h2", CancellationToken.None);
        var afterForeignRelease = await hosts[1].TryAcquireLeaseAsync(LedgerA, "reminders", "h2", duration, CancellationToken.None);
        await hosts[0].ReleaseLeaseAsync(LedgerA, "reminders", "h1", CancellationToken.None);
        var afterRelease = await hosts[1].TryAcquireLeaseAsync(LedgerA, "reminders", "h2", duration, CancellationToken.None);
        await hosts[0].ReleaseLeaseAsync(LedgerB, "reminders", "h1", CancellationToken.None);

        Assert.False(afterForeignRelease);
        Assert.True(afterRelease);
    }

    [Fact]
    public async Task VerifyAsync_AppendedLedger_IsOkUpToTheHead()
    {
        var ledger = await CreateLedgerAsync();
        var logged = NewSearch();
        await Append(ledger, logged);
        await Append(ledger, new EntryAmended(logged.Id, "status", "closed", "logged in error", true));
        var last = await Append(ledger, new KeyRotated("data", "k2"));

        var verification = await ledger.VerifyAsync(LedgerA, CancellationToken.None);
        var empty = await ledger.VerifyAsync(LedgerB, CancellationToken.None);

        Assert.True(verification.Ok, verification.Problem?.Detail);
        Assert.Equal((LedgerA, 3L, last!.Hash), (verification.LedgerId, verification.Events, verification.HeadHash));
        Assert.True(empty.Ok);
        Assert.Equal((0L, ChainHash.ToHex(ChainHash.Genesis)), (empty.Events, empty.HeadHash));
    }

    [Fact]
    public async Task VerifyAsync_WithACallback_HandsOverEveryEventInOrderWithEveryFieldOpened()
    {
        var ledger = await CreateLedgerAsync();
        var logged = NewSearch("CL-PASS-1");
        await Append(ledger, logged);
        await Append(ledger, new NextSessionSet(logged.Id, Time.GetUtcNow().AddDays(2)));
        await Append(ledger, new KeyRotated("data", "k2"));
        var handed = new List<WelfareAudit.Core.Audit.AuditEventRecord>();

        var verification = await ledger.VerifyAsync(LedgerA, (e, _) =>
        {
            handed.Add(e);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);
        var read = await ledger.ReadAsync(LedgerA, 1, null, CancellationToken.None).ToListAsync();

        Assert.True(verification.Ok, verification.Problem?.Detail);
        Assert.Equal([1L, 2, 3], handed.Select(e => e.Header.Sequence));
        Assert.Equal(read.Select(e => e.Hash), handed.Select(e => e.Hash));
        Assert.Equal(verification.HeadHash, handed[^1].Hash);
        Assert.All(handed, e => Assert.Equal(e.Commitments.Keys.Order(StringComparer.Ordinal), e.Opened!.Keys.Order(StringComparer.Ordinal)));
        Assert.Equal("CL-PASS-1", handed[0].Opened!["clientRef"].Value);
    }

    [Fact]
    public async Task ListLedgersAsync_LedgersWithEvents_AreListedOnce()
    {
        var ledger = await CreateLedgerAsync();
        await Append(ledger, new KeyRotated("data", "k1"), LedgerB);
        await Append(ledger, new KeyRotated("data", "k2"), LedgerB);
        await Append(ledger, new KeyRotated("data", "k1"), "practice");
        // A lease on a listed ledger adds no second entry. (Whether a partition holding nothing but a lease is
        // listed is the store's: the Table ledger lists it, as a ledger whose events were deleted — MissingHead.)
        await ledger.TryAcquireLeaseAsync(LedgerB, "reminders", "h1", TimeSpan.FromMinutes(1), CancellationToken.None);

        var ledgers = await ledger.ListLedgersAsync(CancellationToken.None).ToListAsync();

        Assert.Equal([LedgerB, "practice"], ledgers.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListSearchPageAsync_EverySearchOnceInKeyOrder_WithTheLoggedClientCodeAndRisk_FromAPosition()
    {
        var ledger = await CreateLedgerAsync();
        var logged = Enumerable.Range(1, 7).Select(i => NewSearch($"CL-P{i}")).ToList();
        foreach (var s in logged)
        {
            await Append(ledger, s);
        }
        await Append(ledger, NewSearch("CL-OTHER"), LedgerB);
        var order = logged.Select(s => s.Id).OrderBy(SearchListing.OrderKey, StringComparer.Ordinal).ToList();
        // Later events rewrite the search row: it must keep what the list shows as logged.
        await Append(ledger, new NextSessionSet(order[2], Time.GetUtcNow().AddDays(3)));
        await Append(ledger, new EntryAmended(order[2], "clientRef", "CL-CORRECTED", "typo", false));
        await Append(ledger, new DiscussedWithClient(order[4], Time.GetUtcNow(), null, null));

        var all = await ledger.ListSearchPageAsync(LedgerA, null, null, 3, CancellationToken.None).ToListAsync();
        var rest = await ledger.ListSearchPageAsync(LedgerA, order[2], null, 2, CancellationToken.None).ToListAsync();
        var discussed = await ledger.ListSearchPageAsync(LedgerA, null, SearchState.Discussed, 100, CancellationToken.None).ToListAsync();
        var none = await ledger.ListSearchPageAsync("nobody", null, null, 100, CancellationToken.None).ToListAsync();

        Assert.Equal(order, all.Select(r => r.Position!.Value));
        Assert.All(all, r => Assert.Null(r.Unreadable));
        Assert.Equal(order, all.Select(r => r.Search!.Projection.SearchId));
        Assert.Equal(order.Select(id => logged.Single(s => s.Id == id).Entry.ClientRef), all.Select(r => r.Search!.ClientRef));
        Assert.All(all, r => Assert.Equal(RiskLevel.High, r.Search!.Risk));
        Assert.Equal(1, all[2].Search!.Projection.Amendments);
        Assert.Equal(order.Skip(3), rest.Select(r => r.Position!.Value));
        Assert.Equal([order[4]], discussed.Select(r => r.Search!.Projection.SearchId));
        Assert.Empty(none);
    }

    [Fact]
    public async Task SearchQueries_FindSearchesByLedgerAndAcrossLedgers()
    {
        var ledger = await CreateLedgerAsync();
        var a1 = NewSearch("A1");
        var a2 = NewSearch("A2");
        var b1 = NewSearch("B1");
        await Append(ledger, a1);
        await Append(ledger, a2);
        await Append(ledger, b1, LedgerB);

        var inA = await ledger.ListSearchesAsync(LedgerA, CancellationToken.None).ToListAsync();
        var found = await ledger.FindSearchAsync(b1.Id, CancellationToken.None);
        var notFound = await ledger.FindSearchAsync(Guid.NewGuid(), CancellationToken.None);
        var wrongLedger = await ledger.GetSearchAsync(LedgerA, b1.Id, CancellationToken.None);
        var unknownLedger = await ledger.ListSearchesAsync("nobody", CancellationToken.None).ToListAsync();

        Assert.Equal(new[] { a1.Id, a2.Id }.Order(), inA.Select(s => s.SearchId).Order());
        Assert.Equal((b1.Id, LedgerB), (found!.SearchId, found.LedgerId));
        Assert.Null(notFound);
        Assert.Null(wrongLedger);
        Assert.Empty(unknownLedger);
        Assert.Null(await ledger.GetHeadAsync("nobody", CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("x' or PartitionKey ne '")]
    public async Task Operations_MalformedLedgerId_AreRefused(string ledgerId)
    {
        var ledger = await CreateLedgerAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => ledger.AppendAsync(ledgerId, Actor, null, _ => new KeyRotated("d", "k"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.GetHeadAsync(ledgerId, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.TryAcquireLeaseAsync(ledgerId, "reminders", "h", TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    /// <summary>A decision's refusal, as a use case throws one.</summary>
    private sealed class ConflictRefusal() : Exception("refused");
}

using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Infrastructure.Tests.Support;
using WelfareAudit.Testing;

namespace WelfareAudit.Infrastructure.Tests.Storage;

/// <summary>Each way someone with write access to the table could alter history, and what Verify says.</summary>
[Collection(AzuriteCollection.Name)]
public class LedgerVerifierTests(AzuriteFixture azurite)
{
    private const string Ledger = "ab5c0e2a-8c51-4a4b-9a39-0d5b7f0e6c11";
    private readonly IKeyRing _keys = TestKeyRing.Create();

    /// <summary>A ledger of six events: a search and its follow-up.</summary>
    private async Task<TableLedger> SixEventsAsync()
    {
        var ledger = new TableLedger(azurite.NewTable(), _keys, TimeProvider.System, new LedgerOptions(), NullLogger<TableLedger>.Instance);
        var now = TimeProvider.System.GetUtcNow();
        var logged = await new Markers().LoggedAsync(_keys, now);
        LedgerEvent[] events =
        [
            logged,
            new NextSessionSet(logged.Id, now.AddDays(1)),
            new ReminderSent(logged.Id, "sessionMorning", "m@1", now.AddDays(1), "email"),
            new DiscussedWithClient(logged.Id, now, "talked", "ok"),
            new EntryAmended(logged.Id, "findings", "none", "typo", false),
            new SupervisorReviewed(logged.Id, "sup", ReviewOutcomes.Concern, "fine"),
        ];
        foreach (var evt in events)
        {
            await ledger.AppendAsync(Ledger, "actor", evt.SearchId, _ => evt, CancellationToken.None);
        }
        return ledger;
    }

    private static async Task<TableEntity> Row(TableLedger ledger, long sequence) =>
        (await ledger.Table.GetEntityAsync<TableEntity>(Ledger, RowKeys.Event(sequence))).Value;

    private static async Task<LedgerProblem> ProblemAsync(TableLedger ledger)
    {
        var result = await ledger.VerifyAsync(Ledger, CancellationToken.None);
        Assert.False(result.Ok, "Verify did not notice the tampering.");
        return result.Problem!;
    }

    [Fact]
    public async Task VerifyAsync_UntouchedLedger_IsOk()
    {
        var ledger = await SixEventsAsync();

        var result = await ledger.VerifyAsync(Ledger, CancellationToken.None);

        Assert.True(result.Ok);
        Assert.Equal(6, result.Events);
        Assert.Equal((await ledger.GetHeadAsync(Ledger, CancellationToken.None))!.Hash, result.HeadHash);
    }

    [Fact]
    public async Task VerifyAsync_EmptyLedger_IsOk()
    {
        var ledger = new TableLedger(azurite.NewTable(), _keys, TimeProvider.System, new LedgerOptions(), NullLogger<TableLedger>.Instance);

        var result = await ledger.VerifyAsync(Ledger, CancellationToken.None);

        Assert.True(result.Ok);
        Assert.Equal(0, result.Events);
    }

    [Fact]
    public async Task VerifyAsync_ClearFieldModified_NamesModifiedRow()
    {
        var ledger = await SixEventsAsync();
        var row = await Row(ledger, 2);
        row["C_nextSessionAt"] = "2030-01-01T00:00:00.0000000Z";
        await ledger.Table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var problem = await ProblemAsync(ledger);

        Assert.Equal((2, LedgerProblemKind.ModifiedRow), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task VerifyAsync_RowRehashedAfterEdit_NamesTheNextRowsBrokenLink()
    {
        var ledger = await SixEventsAsync();
        var row = await Row(ledger, 3);
        row["C_channel"] = "webhook";
        var sealedEvent = EventRow.FromEntity(row);
        row["Hash"] = EventSealer.ComputeHash(sealedEvent);
        await ledger.Table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var problem = await ProblemAsync(ledger);

        Assert.Equal((4, LedgerProblemKind.ModifiedRow), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task VerifyAsync_CiphertextAltered_NamesModifiedRow()
    {
        var ledger = await SixEventsAsync();
        var row = await Row(ledger, 4);
        var envelope = (byte[])row["S_note"];
        envelope[^1] ^= 0x01;
        row["S_note"] = envelope;
        await ledger.Table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var problem = await ProblemAsync(ledger);

        Assert.Equal((4, LedgerProblemKind.ModifiedRow), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task VerifyAsync_CiphertextMovedFromAnotherRow_NamesCiphertextMoved()
    {
        var ledger = await SixEventsAsync();
        var donor = await Row(ledger, 6);
        var target = await Row(ledger, 4);
        target["S_note"] = donor["S_note"];
        await ledger.Table.UpdateEntityAsync(target, ETag.All, TableUpdateMode.Replace);

        var problem = await ProblemAsync(ledger);

        Assert.Equal((4, LedgerProblemKind.CiphertextMoved), (problem.Sequence, problem.Kind));
        Assert.Contains("sequence 6", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_CiphertextSwappedBetweenFieldsOfOneRow_NamesCiphertextMoved()
    {
        var ledger = await SixEventsAsync();
        var row = await Row(ledger, 1);
        (row["S_findings"], row["S_actionsTaken"]) = (row["S_actionsTaken"], row["S_findings"]);
        await ledger.Table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var problem = await ProblemAsync(ledger);

        Assert.Equal((1, LedgerProblemKind.CiphertextMoved), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task VerifyAsync_RowDeleted_NamesMissingRow()
    {
        var ledger = await SixEventsAsync();
        await ledger.Table.DeleteEntityAsync(Ledger, RowKeys.Event(3));

        var problem = await ProblemAsync(ledger);

        Assert.Equal((3, LedgerProblemKind.MissingRow), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task VerifyAsync_LastRowDeleted_NamesMissingRow()
    {
        var ledger = await SixEventsAsync();
        await ledger.Table.DeleteEntityAsync(Ledger, RowKeys.Event(6));

        var problem = await ProblemAsync(ledger);

        Assert.Equal((6, LedgerProblemKind.MissingRow), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task VerifyAsync_TwoRowsSwapped_NamesReorderedRows()
    {
        var ledger = await SixEventsAsync();
        var a = await Row(ledger, 2);
        var b = await Row(ledger, 3);
        var movedA = new TableEntity(a) { RowKey = RowKeys.Event(3) };
        var movedB = new TableEntity(b) { RowKey = RowKeys.Event(2) };
        await ledger.Table.UpsertEntityAsync(movedA, TableUpdateMode.Replace);
        await ledger.Table.UpsertEntityAsync(movedB, TableUpdateMode.Replace);

        var problem = await ProblemAsync(ledger);

        Assert.Equal((2, LedgerProblemKind.ReorderedRows), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task VerifyAsync_ForgedRowAppendedPastTheHead_NamesInsertedRow()
    {
        var ledger = await SixEventsAsync();
        // A well-formed, correctly linked event written straight to the table, bypassing the ledger.
        var last = EventRow.FromEntity(await Row(ledger, 6));
        var header = new EventHeader(Ledger, 7, EventTypes.KeyRotated, last.Header.RecordedAt, "intruder");
        var forged = await new EventSealer(_keys).SealAsync(header, new KeyRotated("data", "forged").ToFields(), last.Hash, CancellationToken.None);
        await ledger.Table.AddEntityAsync(EventRow.ToEntity(forged));

        var problem = await ProblemAsync(ledger);

        Assert.Equal((7, LedgerProblemKind.InsertedRow), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task VerifyAsync_StrayRowAmongEvents_NamesInsertedRow()
    {
        var ledger = await SixEventsAsync();
        await ledger.Table.AddEntityAsync(new TableEntity(Ledger, "00000000000000000035") { ["Seq"] = 35L });

        var problem = await ProblemAsync(ledger);

        Assert.Equal(LedgerProblemKind.InsertedRow, problem.Kind);
    }

    [Fact]
    public async Task VerifyAsync_HeadHashAltered_NamesHeadMismatch()
    {
        var ledger = await SixEventsAsync();
        var head = (await ledger.Table.GetEntityAsync<TableEntity>(Ledger, RowKeys.Head)).Value;
        head["Hash"] = new string('0', 64);
        await ledger.Table.UpdateEntityAsync(head, ETag.All, TableUpdateMode.Replace);

        var problem = await ProblemAsync(ledger);

        Assert.Equal((6, LedgerProblemKind.HeadMismatch), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task VerifyAsync_HeadDeleted_NamesMissingHead()
    {
        var ledger = await SixEventsAsync();
        await ledger.Table.DeleteEntityAsync(Ledger, RowKeys.Head);

        var problem = await ProblemAsync(ledger);

        Assert.Equal((1, LedgerProblemKind.MissingHead), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task VerifyAsync_EnvelopeKeyIdByteChanged_NamesModifiedRowInsteadOfThrowing()
    {
        var ledger = await SixEventsAsync();
        await ChangeKeyIdAsync(ledger, 4, "S_note");

        var problem = await ProblemAsync(ledger);

        Assert.Equal((4, LedgerProblemKind.ModifiedRow), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task ReadAsync_EnvelopeKeyIdByteChanged_LedgerIntegrityAtThatRow()
    {
        var ledger = await SixEventsAsync();
        await ChangeKeyIdAsync(ledger, 4, "S_note");

        var failure = await Assert.ThrowsAsync<LedgerIntegrityException>(async () => await ledger.ReadAsync(Ledger, 1, null, CancellationToken.None).ToListAsync());

        Assert.Equal((Ledger, 4L, LedgerProblemKind.ModifiedRow), (failure.LedgerId, failure.Problem.Sequence, failure.Problem.Kind));
    }

    /// <summary>Changes one byte of the key id in an envelope: it then names a key the key ring does not hold.</summary>
    private static async Task ChangeKeyIdAsync(TableLedger ledger, long sequence, string property)
    {
        var row = await Row(ledger, sequence);
        var envelope = (byte[])row[property];
        envelope[2] = envelope[2] == (byte)'a' ? (byte)'b' : (byte)'a';
        row[property] = envelope;
        await ledger.Table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
    }

    [Fact]
    public async Task VerifyAsync_CommitmentReplaced_NamesModifiedRow()
    {
        var ledger = await SixEventsAsync();
        var row = await Row(ledger, 1);
        row["K_clientRef"] = new byte[32];
        await ledger.Table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var problem = await ProblemAsync(ledger);

        Assert.Equal((1, LedgerProblemKind.ModifiedRow), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task VerifyAsync_ProjectionMarkedDiscussedWithoutEvent_NamesProjectionMismatch()
    {
        var ledger = new TableLedger(azurite.NewTable(), _keys, TimeProvider.System, new LedgerOptions(), NullLogger<TableLedger>.Instance);
        var logged = await new Markers().LoggedAsync(_keys, TimeProvider.System.GetUtcNow());
        await ledger.AppendAsync(Ledger, "actor", logged.Id, _ => logged, CancellationToken.None);
        var row = (await ledger.Table.GetEntityAsync<TableEntity>(Ledger, RowKeys.Search(logged.Id))).Value;
        row["State"] = "Discussed";
        await ledger.Table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var problem = await ProblemAsync(ledger);

        Assert.Equal((1, LedgerProblemKind.ProjectionMismatch), (problem.Sequence, problem.Kind));
    }

    [Theory]
    [InlineData("ReviewOutcome", "appropriate")]
    [InlineData("Reviewer", "someone-else")]
    [InlineData("ReviewedAt", null)]
    public async Task VerifyAsync_ProjectionReviewAlteredOrDropped_NamesProjectionMismatch(string property, string? value)
    {
        var ledger = await SixEventsAsync();
        var search = await ledger.ListSearchesAsync(Ledger, CancellationToken.None).FirstAsync();
        var row = (await ledger.Table.GetEntityAsync<TableEntity>(Ledger, RowKeys.Search(search.SearchId))).Value;
        Assert.Equal(("concern", "sup"), (row.GetString("ReviewOutcome"), row.GetString("Reviewer")));
        if (value is null)
        {
            row.Remove(property);
        }
        else
        {
            row[property] = value;
        }
        await ledger.Table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var problem = await ProblemAsync(ledger);

        Assert.Equal(LedgerProblemKind.ProjectionMismatch, problem.Kind);
    }

    [Fact]
    public async Task VerifyAsync_ReviewOutcomeChangedInTheEventRow_NamesModifiedRow()
    {
        var ledger = await SixEventsAsync();
        var row = await Row(ledger, 6);
        Assert.Equal("SupervisorReviewed", row.GetString("Type"));

        row["C_outcome"] = "appropriate";
        await ledger.Table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        var problem = await ProblemAsync(ledger);

        Assert.Equal((6, LedgerProblemKind.ModifiedRow), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task VerifyAsync_ProjectionRowDeleted_NamesProjectionMismatch()
    {
        var ledger = await SixEventsAsync();
        var search = await ledger.ListSearchesAsync(Ledger, CancellationToken.None).FirstAsync();
        await ledger.Table.DeleteEntityAsync(Ledger, RowKeys.Search(search.SearchId));

        var problem = await ProblemAsync(ledger);

        Assert.Equal(LedgerProblemKind.ProjectionMismatch, problem.Kind);
    }

    [Fact]
    public async Task VerifyAsync_SearchRowRolledBackToAnEarlierTrueState_NamesProjectionMismatch()
    {
        // The row as it really was after event 4: it matches its events up to there, and is stale by two events.
        var ledger = await SixEventsAsync();
        SearchProjection? earlier = null;
        await foreach (var e in ledger.ReadAsync(Ledger, 1, 4, CancellationToken.None))
        {
            earlier = SearchProjection.Apply(earlier, e.Header, e.Event);
        }
        await ledger.Table.UpsertEntityAsync(ProjectionRow.ToEntity(earlier!), TableUpdateMode.Replace);

        var problem = await ProblemAsync(ledger);

        Assert.Equal((1, LedgerProblemKind.ProjectionMismatch), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task VerifyAsync_SearchRowWithoutEvents_NamesProjectionMismatch()
    {
        var ledger = await SixEventsAsync();
        var search = await ledger.ListSearchesAsync(Ledger, CancellationToken.None).FirstAsync();
        await ledger.Table.UpsertEntityAsync(ProjectionRow.ToEntity(search with { SearchId = Guid.NewGuid() }), TableUpdateMode.Replace);

        var problem = await ProblemAsync(ledger);

        Assert.Equal(LedgerProblemKind.ProjectionMismatch, problem.Kind);
    }

    [Fact]
    public async Task VerifyAsync_SearchesFollowedUpAndLoggedDuringVerification_StillOk()
    {
        // The search rows are read before the events: rows and events that change meanwhile are not findings.
        var ledger = await SixEventsAsync();
        var search = await ledger.ListSearchesAsync(Ledger, CancellationToken.None).FirstAsync();
        var markers = new Markers();

        var (appended, results) = await VerifyWhileAppendingAsync(ledger, 120, async n => n % 3 == 0
            ? (LedgerEvent)await markers.LoggedAsync(_keys, TimeProvider.System.GetUtcNow())
            : new ReminderSent(search.SearchId, "r" + n, "m@" + n, TimeProvider.System.GetUtcNow(), "email"));

        Assert.True(appended > 0);
        Assert.All(results, r => Assert.True(r.Ok, r.Problem?.Detail));
        Assert.True((await ledger.VerifyAsync(Ledger, CancellationToken.None)).Ok);
    }

    [Theory]
    [InlineData("K_note", "short")]
    [InlineData("Seq", "three")]
    [InlineData("Format", "one")]
    public async Task VerifyAsync_PropertyOfWrongTypeOrSize_NamesModifiedRowInsteadOfThrowing(string property, string kind)
    {
        var ledger = await SixEventsAsync();
        var row = await Row(ledger, 4);
        row[property] = kind == "short" ? new byte[5] : (object)kind;
        await ledger.Table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var problem = await ProblemAsync(ledger);

        Assert.Equal(4, problem.Sequence);
        Assert.Contains(problem.Kind, new[] { LedgerProblemKind.ModifiedRow, LedgerProblemKind.ReorderedRows });
    }

    [Fact]
    public async Task VerifyAsync_AppendsDuringVerification_StillOk()
    {
        var ledger = await SixEventsAsync();

        var (appended, results) = await VerifyWhileAppendingAsync(ledger, 200, n =>
            Task.FromResult<LedgerEvent>(new SupervisorReviewed(null, "sup", ReviewOutcomes.Concern, "n" + n)));

        Assert.True(appended > 0);
        Assert.All(results, r => Assert.True(r.Ok, r.Problem?.Detail));
    }

    /// <summary>Ten verifications while a writer appends up to <paramref name="most"/> events (<paramref name="next"/> makes the n-th).</summary>
    private static async Task<(int Appended, List<LedgerVerification> Results)> VerifyWhileAppendingAsync(TableLedger ledger, int most, Func<int, Task<LedgerEvent>> next)
    {
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested && n < most)
            {
                var evt = await next(n);
                await ledger.AppendAsync(Ledger, "actor", evt.SearchId, _ => evt, CancellationToken.None);
                n++;
            }
            return n;
        });

        var results = new List<LedgerVerification>();
        for (var i = 0; i < 10; i++)
        {
            results.Add(await ledger.VerifyAsync(Ledger, CancellationToken.None));
        }
        stop.Cancel();
        return (await writer, results);
    }
}

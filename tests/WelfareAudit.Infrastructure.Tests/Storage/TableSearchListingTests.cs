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

/// <summary>
/// What only the Table ledger's search list can meet (issue 14): search rows written before they carried the copies of
/// <c>S_clientRef</c> and <c>S_riskLevel</c>, and rows altered by someone with write access to the table.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class TableSearchListingTests(AzuriteFixture azurite)
{
    private const string Ledger = "5e1f0a2b-8c51-4a4b-9a39-0d5b7f0e6c22";
    private static readonly string[] Copies = ["S_clientRef", "S_riskLevel"];
    private readonly IKeyRing _keys = TestKeyRing.Create();

    private async Task<(TableLedger Ledger, SearchLogged First, SearchLogged Second)> TwoSearchesAsync()
    {
        var ledger = new TableLedger(azurite.NewTable(), _keys, TimeProvider.System, new LedgerOptions(), NullLogger<TableLedger>.Instance);
        var now = TimeProvider.System.GetUtcNow();
        var first = SampleEvents.Logged(now, "CL-FIRST");
        var second = SampleEvents.Logged(now, "CL-SECOND");
        foreach (var logged in new[] { first, second })
        {
            await ledger.AppendAsync(Ledger, "actor", logged.Id, _ => logged, CancellationToken.None);
        }
        return (ledger, first, second);
    }

    private static async Task<TableEntity> SearchRowAsync(TableLedger ledger, Guid id) =>
        (await ledger.Table.GetEntityAsync<TableEntity>(Ledger, RowKeys.Search(id))).Value;

    /// <summary>Someone with write access puts one search row's copy of the client code into another's.</summary>
    private static async Task CopyClientRefAsync(TableLedger ledger, Guid from, Guid to)
    {
        var source = await SearchRowAsync(ledger, from);
        var target = await SearchRowAsync(ledger, to);
        target["S_clientRef"] = source["S_clientRef"];
        await ledger.Table.UpdateEntityAsync(target, ETag.All, TableUpdateMode.Replace);
    }

    private static Task<List<SearchListing>> ListAsync(TableLedger ledger) =>
        ledger.ListSearchPageAsync(Ledger, null, null, 100, CancellationToken.None).ToListAsync().AsTask();

    [Fact]
    public async Task ListSearchPageAsync_RowsCarryTheEventsEnvelopes_ByteForByte()
    {
        var (ledger, first, _) = await TwoSearchesAsync();

        var row = await SearchRowAsync(ledger, first.Id);
        var evt = (await ledger.Table.GetEntityAsync<TableEntity>(Ledger, RowKeys.Event(1))).Value;

        Assert.All(Copies, name => Assert.Equal((byte[])evt[name], (byte[])row[name]));
    }

    [Fact]
    public async Task ListSearchPageAsync_RowWrittenBeforeTheCopies_ListedFromItsEvent_AndStaysSoWhenRewritten()
    {
        var (ledger, first, second) = await TwoSearchesAsync();
        var old = await SearchRowAsync(ledger, first.Id);
        foreach (var name in Copies)
        {
            old.Remove(name);
        }
        await ledger.Table.UpdateEntityAsync(old, ETag.All, TableUpdateMode.Replace);
        await ledger.AppendAsync(Ledger, "actor", first.Id, _ => new NextSessionSet(first.Id, null), CancellationToken.None);

        var listed = await ListAsync(ledger);

        Assert.Equal(new[] { (first.Id, "CL-FIRST"), (second.Id, "CL-SECOND") }.OrderBy(p => SearchListing.OrderKey(p.Item1), StringComparer.Ordinal),
            listed.Select(r => (r.Search!.Projection.SearchId, r.Search.ClientRef)));
        Assert.All(listed, r => Assert.Equal(RiskLevel.High, r.Search!.Risk));
        Assert.DoesNotContain(Copies, (await SearchRowAsync(ledger, first.Id)).ContainsKey);
        Assert.True((await ledger.VerifyAsync(Ledger, CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task ListSearchPageAsync_CopyMovedToAnotherSearchsRow_ThatSearchUnreadableAtItsLoggedSequence_TheOtherListed()
    {
        var (ledger, first, second) = await TwoSearchesAsync();
        await CopyClientRefAsync(ledger, from: first.Id, to: second.Id);

        var listed = (await ListAsync(ledger)).ToDictionary(r => r.Position!.Value);

        Assert.Equal("CL-FIRST", listed[first.Id].Search!.ClientRef);
        Assert.Null(listed[second.Id].Search);
        Assert.Equal((Ledger, 2L, LedgerProblemKind.ModifiedRow),
            (listed[second.Id].Unreadable!.LedgerId, listed[second.Id].Unreadable!.Problem.Sequence, listed[second.Id].Unreadable!.Problem.Kind));
    }

    [Fact]
    public async Task ListSearchPageAsync_SearchRowNotWellFormed_FindingAtItsPosition_TheListingGoesOn()
    {
        var (ledger, first, second) = await TwoSearchesAsync();
        var row = await SearchRowAsync(ledger, first.Id);
        row["State"] = "Forgotten";
        await ledger.Table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var listed = (await ListAsync(ledger)).ToDictionary(r => r.Position!.Value);

        Assert.Equal(LedgerProblemKind.ProjectionMismatch, listed[first.Id].Unreadable!.Problem.Kind);
        Assert.Equal("CL-SECOND", listed[second.Id].Search!.ClientRef);
    }

    [Fact]
    public async Task VerifyAsync_CopyMovedToAnotherSearchsRow_ProjectionMismatchAtThatSearchsLoggedSequence()
    {
        var (ledger, first, second) = await TwoSearchesAsync();
        await CopyClientRefAsync(ledger, from: first.Id, to: second.Id);

        var verification = await ledger.VerifyAsync(Ledger, CancellationToken.None);

        Assert.False(verification.Ok);
        Assert.Equal((2L, LedgerProblemKind.ProjectionMismatch), (verification.Problem!.Sequence, verification.Problem.Kind));
    }

    [Theory]
    [InlineData("S_clientRef", false)]
    [InlineData("S_riskLevel", false)]
    [InlineData("S_riskLevel", true)]
    public async Task VerifyAsync_CopyAlteredOrOneOfTheTwoRemoved_ProjectionMismatchAtItsLoggedSequence(string copy, bool remove)
    {
        var (ledger, first, _) = await TwoSearchesAsync();
        var row = await SearchRowAsync(ledger, first.Id);
        if (remove)
        {
            row.Remove(copy);
        }
        else
        {
            var bytes = (byte[])row[copy];
            bytes[^1] ^= 0xFF;
            row[copy] = bytes;
        }
        await ledger.Table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var verification = await ledger.VerifyAsync(Ledger, CancellationToken.None);

        Assert.False(verification.Ok);
        Assert.Equal((1L, LedgerProblemKind.ProjectionMismatch), (verification.Problem!.Sequence, verification.Problem.Kind));
    }
}

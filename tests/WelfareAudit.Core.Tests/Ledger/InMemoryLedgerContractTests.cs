using WelfareAudit.Core.Ledger;
using WelfareAudit.Testing;

namespace WelfareAudit.Core.Tests.Ledger;

/// <summary>The in-memory ledger the use-case tests run on passes the same contract as the Table ledger.</summary>
public sealed class InMemoryLedgerContractTests : LedgerContract
{
    // One store seen by every host: the in-memory ledger is the store.
    protected override Task<IReadOnlyList<ILedger>> CreateHostsAsync(int hosts)
    {
        var ledger = new InMemoryLedger(Time);
        return Task.FromResult<IReadOnlyList<ILedger>>([.. Enumerable.Repeat<ILedger>(ledger, hosts)]);
    }

    [Fact]
    public async Task VerifyAsync_EventChangedInStore_NamesItsSequence()
    {
        var ledger = new InMemoryLedger(Time);
        var logged = NewSearch();
        await ledger.AppendAsync(LedgerA, Actor, logged.Id, _ => logged, CancellationToken.None);
        await ledger.AppendAsync(LedgerA, Actor, logged.Id, _ => new NextSessionSet(logged.Id, null), CancellationToken.None);
        await ledger.AppendAsync(LedgerA, Actor, null, _ => new KeyRotated("data", "k2"), CancellationToken.None);

        ledger.Tamper(LedgerA, 2, e => e with { Clear = new Dictionary<string, string>(e.Clear) { ["nextSessionAt"] = "2027-01-01T00:00:00.0000000Z" } });
        var verification = await ledger.VerifyAsync(LedgerA, CancellationToken.None);

        Assert.Equal(new LedgerProblem(2, LedgerProblemKind.ModifiedRow, "The event's content does not match its hash."), verification.Problem);
        Assert.Equal(1, verification.Events);
    }

    [Fact]
    public async Task VerifyAsync_ValueNoLongerMatchingItsCommitment_IsFound()
    {
        var ledger = new InMemoryLedger(Time);
        var logged = NewSearch();
        await ledger.AppendAsync(LedgerA, Actor, logged.Id, _ => logged, CancellationToken.None);

        ledger.Tamper(LedgerA, 1, e => e with
        {
            Openings = new Dictionary<string, Core.Audit.FieldOpening>(e.Openings) { ["clientRef"] = e.Openings["clientRef"] with { Value = "C-OTHER" } },
        });

        Assert.Equal(LedgerProblemKind.ModifiedRow, (await ledger.VerifyAsync(LedgerA, CancellationToken.None)).Problem?.Kind);
    }
}

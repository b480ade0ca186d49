using System.Text;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Audit.Verification;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Tests.Audit;

/// <summary>
/// The <c>--extends</c> rule (docs/ledger-format.md §16) on chains of made-up events: each event is a label, its hash
/// SHA-256(previous ‖ label), so two chains share a hash exactly as long as they share every label before it.
/// </summary>
public sealed class ExtendsRuleTests
{
    private const string L = "ledger-1";

    /// <summary>The hashes of a chain of labelled events: [0] is the genesis, [n] the hash after event n.</summary>
    private static List<string> Chain(IEnumerable<string> labels)
    {
        var hashes = new List<string> { ChainHash.ToHex(ChainHash.Genesis) };
        foreach (var label in labels)
        {
            hashes.Add(ChainHash.ToHex(ChainHash.Next(Convert.FromHexString(hashes[^1]), Encoding.UTF8.GetBytes(label))));
        }
        return hashes;
    }

    private static List<string> Labels(int count, string prefix = "e") => [.. Enumerable.Range(1, count).Select(i => prefix + i)];

    /// <summary>What an export of events <paramref name="first"/>..end of the chain shows.</summary>
    private static LedgerHistory Export(List<string> chain, long first = 1, string ledgerId = L, long? checkpointSequence = null) =>
        LedgerHistory.Create(ledgerId, first, chain[(int)(first - 1)..], checkpointSequence);

    [Fact]
    public void Check_SameExportTwice_Extends()
    {
        var chain = Chain(Labels(10));

        var result = ExtendsRule.Check(Export(chain), Export(chain));

        Assert.Equal(ExtensionKind.Extends, result.Kind);
        Assert.Equal(10, result.Sequence);
        Assert.True(result.Ok);
    }

    [Fact]
    public void Check_LaterExportOfTheSameChain_Extends()
    {
        var labels = Labels(25);

        var result = ExtendsRule.Check(Export(Chain(labels[..10])), Export(Chain(labels)));

        Assert.Equal(ExtensionKind.Extends, result.Kind);
        Assert.Equal((10L, 25L), (result.OldHead!.Value, result.NewHead!.Value));
    }

    [Fact]
    public void Check_NewerExportEndsEarlier_TruncatedAtTheFirstLostEvent()
    {
        var labels = Labels(10);

        var result = ExtendsRule.Check(Export(Chain(labels)), Export(Chain(labels[..7])));

        Assert.Equal(ExtensionKind.Truncated, result.Kind);
        Assert.Equal(8, result.Sequence);
        Assert.False(result.Ok);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(10)]
    public void Check_ForkedAtK_DivergesAtK(int k)
    {
        var labels = Labels(10);
        List<string> forked = [.. labels[..(k - 1)], .. Labels(12, "fork")];

        var result = ExtendsRule.Check(Export(Chain(labels)), Export(Chain(forked)));

        Assert.Equal(ExtensionKind.Diverges, result.Kind);
        Assert.Equal(k, result.Sequence);
        Assert.Contains($"sequence {k}", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OneEventRemovedFromTheMiddleAndTheChainRebuilt_DivergesAtThatSequence()
    {
        // The owner's rewrite: event 5 deleted, everything after it renumbered and re-hashed, more appended since.
        var labels = Labels(10);
        List<string> rewritten = [.. labels.Where(l => l != "e5"), .. Labels(6, "later")];

        var result = ExtendsRule.Check(Export(Chain(labels)), Export(Chain(rewritten)));

        Assert.Equal(ExtensionKind.Diverges, result.Kind);
        Assert.Equal(5, result.Sequence);
        Assert.Contains("agree at sequence 4", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(11)] // the range export starts at the earlier export's checkpoint (recorded at 11, over head 10)
    public void Check_RangeExportStartingAtOrBeforeTheEarlierCheckpoint_Extends(long first)
    {
        var labels = Labels(30);
        var old = Export(Chain(labels[..10]), checkpointSequence: 11);

        var result = ExtendsRule.Check(old, Export(Chain(labels), first));

        Assert.Equal(ExtensionKind.Extends, result.Kind);
    }

    [Fact]
    public void Check_RangeExportStartingAfterTheEarlierCheckpoint_UnprovableWithTheReason()
    {
        var labels = Labels(30);
        var old = Export(Chain(labels[..10]), checkpointSequence: 11);

        var result = ExtendsRule.Check(old, Export(Chain(labels), 12));

        Assert.Equal(ExtensionKind.Unprovable, result.Kind);
        Assert.False(result.Ok);
        Assert.Contains("starts at sequence 12, after the earlier export's head at 10 and its export checkpoint at 11", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EarlierExportIsARangeToo_ComparedWhereBothShow()
    {
        var labels = Labels(30);

        var extends = ExtendsRule.Check(Export(Chain(labels[..10]), 6), Export(Chain(labels), 3));
        var diverges = ExtendsRule.Check(Export(Chain(labels[..10]), 6), Export(Chain([.. labels[..7], .. Labels(5, "x")]), 3));

        Assert.Equal(ExtensionKind.Extends, extends.Kind);
        Assert.Equal((ExtensionKind.Diverges, 8L), (diverges.Kind, diverges.Sequence!.Value));
    }

    [Fact]
    public void Check_RewrittenBeforeTheRangeStarts_DivergesAtTheEarliestSequenceBothShow()
    {
        var labels = Labels(10);
        List<string> rewritten = [.. labels.Where(l => l != "e3"), .. Labels(10, "later")];

        var result = ExtendsRule.Check(Export(Chain(labels)), Export(Chain(rewritten), 8));

        Assert.Equal((ExtensionKind.Diverges, 7L), (result.Kind, result.Sequence!.Value));
        Assert.Contains("may part earlier", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TrustedHeadOnly_ExtendsOrDiverges()
    {
        // A witness keeps only the head it cosigned.
        var labels = Labels(10);
        var head = LedgerHistory.HeadOnly(L, 6, Chain(labels)[6]);

        Assert.Equal(ExtensionKind.Extends, ExtendsRule.Check(head, Export(Chain(labels))).Kind);
        Assert.Equal((ExtensionKind.Diverges, 6L), (ExtendsRule.Check(head, Export(Chain([.. labels[..5], "other"]))) is var d ? (d.Kind, d.Sequence!.Value) : default));
    }

    [Fact]
    public void Check_LedgerOnlyInTheEarlierExport_MissingAndNamedAsExcludedWhenTheNewerOneSaysSo()
    {
        var chain = Chain(Labels(4));

        var missing = ExtendsRule.Check([Export(chain), Export(chain, ledgerId: "gone")], [Export(chain)]);
        var excluded = ExtendsRule.Check([Export(chain, ledgerId: "gone")], [], [new BundleExcludedLedger("gone", 3, "ModifiedRow")]);

        Assert.False(missing.Ok);
        Assert.Equal(("gone", ExtensionKind.Missing), (missing.FirstRefusal!.LedgerId, missing.FirstRefusal.Kind));
        Assert.Contains("failed verification in storage at sequence 3", excluded.FirstRefusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LedgerOnlyInTheNewerExport_IsFine()
    {
        var chain = Chain(Labels(4));

        var result = ExtendsRule.Check([Export(chain)], [Export(chain), Export(chain, ledgerId: "new-therapist")]);

        Assert.True(result.Ok);
        Assert.Equal([ExtensionKind.Extends, ExtensionKind.NewLedger], result.Ledgers.Select(l => l.Kind));
    }
}

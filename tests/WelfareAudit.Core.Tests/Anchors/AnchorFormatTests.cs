using System.Text;
using WelfareAudit.Core.Anchors;

namespace WelfareAudit.Core.Tests.Anchors;

/// <summary>The anchor's name and bytes (docs/ledger-format.md §14.1, §14.2) and the comparison rule (§14.5), on their own.</summary>
public class AnchorFormatTests
{
    private static readonly string Hash = new('a', 64);

    [Theory]
    [InlineData("6f1c2a44-0b7e-4d5a-9c1e-2f3a4b5c6d7e", 11, "6f1c2a44-0b7e-4d5a-9c1e-2f3a4b5c6d7e/00000000000000000011-")]
    [InlineData("practice.", 1, "practice.~/00000000000000000001-")]
    [InlineData("..", 9223372036854775807, "..~/09223372036854775807-")]
    public void BlobName_Written_DocumentedFormAndReadBack(string ledgerId, long sequence, string start)
    {
        var name = new AnchorName(ledgerId, sequence, Hash);

        Assert.Equal(start + Hash + ".json", name.BlobName);
        Assert.True(AnchorName.TryParse(name.BlobName, out var back));
        Assert.Equal(name, back);
    }

    [Theory]
    [InlineData("../00000000000000000001-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json")]
    [InlineData("./00000000000000000001-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json")]
    [InlineData("practice./00000000000000000001-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json")]
    [InlineData("practice~/00000000000000000001-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json")]
    [InlineData("l/0000000000000000001-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json")]
    [InlineData("l/00000000000000000000-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json")]
    [InlineData("l/+0000000000000000001-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json")]
    [InlineData("l/00000000000000000001-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.json")]
    [InlineData("l/00000000000000000001-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json/x")]
    [InlineData("/l/00000000000000000001-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json")]
    [InlineData("a/b/00000000000000000001-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json")]
    [InlineData("l/99999999999999999999-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json")]
    public void BlobName_NotTheCanonicalForm_Refused(string name) =>
        Assert.False(AnchorName.TryParse(name, out _));

    [Fact]
    public void Content_Written_ExactlyTheDocumentedLine()
    {
        var anchor = new CheckpointAnchor("l-1", 11, Hash, new DateTimeOffset(2026, 11, 25, 0, 5, 0, TimeSpan.Zero), "key-1", "c2lnbmF0dXJl+/=");

        var bytes = anchor.ToBytes();

        Assert.Equal("{\"format\":\"welfare-audit-anchor\",\"version\":1,\"ledgerId\":\"l-1\",\"upToSequence\":11,\"headHash\":\"" + Hash +
            "\",\"signedAt\":\"2026-11-25T00:05:00.0000000Z\",\"signingKeyId\":\"key-1\",\"signature\":\"c2lnbmF0dXJl+/=\"}\n", Encoding.ASCII.GetString(bytes));
        Assert.Equal(anchor, CheckpointAnchor.TryParse(bytes, out _));
    }

    [Theory]
    [InlineData("{\"format\":\"welfare-audit-anchor\", \"version\":1")]                      // a space
    [InlineData("{\"version\":1,\"format\":\"welfare-audit-anchor\"")]                       // another order
    [InlineData("{\"format\":\"welfare-audit-anchor\",\"version\":2")]                       // another version
    [InlineData("{\"format\":\"welfare-audit-anchor\",\"version\":1,\"extra\":0")]           // a member more
    public void Content_NotTheCanonicalLine_Refused(string start)
    {
        var canonical = Encoding.ASCII.GetString(new CheckpointAnchor("l-1", 11, Hash, DateTimeOffset.UnixEpoch, "k", "s").ToBytes());
        var rest = canonical[canonical.IndexOf(",\"ledgerId\"", StringComparison.Ordinal)..];

        Assert.Null(CheckpointAnchor.TryParse(Encoding.ASCII.GetBytes(start + rest), out var error));
        Assert.NotEmpty(error);
        Assert.Null(CheckpointAnchor.TryParse(Encoding.ASCII.GetBytes(canonical.TrimEnd('\n')), out _)); // no newline
        Assert.Null(CheckpointAnchor.TryParse(Encoding.ASCII.GetBytes(canonical.Replace("\"upToSequence\":11", "\"upToSequence\":11.0", StringComparison.Ordinal)), out _));
    }

    [Fact]
    public void Compare_EveryCase_LowestForkHighestRollbackOthersAgree()
    {
        var hashes = new Dictionary<long, string> { [2] = "h2", [4] = "h4", [6] = "h6" };
        AnchorName A(long s, string h) => new("l", s, h);

        var findings = AnchorComparison.Compare([A(1, "old1"), A(2, "h2"), A(4, "x4"), A(6, "x6"), A(9, "h9"), A(8, "h8")], first: 2, last: 6, hashes);

        Assert.Equal([(AnchorFindingKind.Fork, 4L), (AnchorFindingKind.Rollback, 9L)], findings.Select(f => (f.Kind, f.Anchor.Sequence)));
        Assert.Contains(A(4, "x4").BlobName, findings[0].Detail, StringComparison.Ordinal);
        Assert.Empty(AnchorComparison.Compare([A(2, "h2"), A(6, "h6")], 1, 6, hashes));
        Assert.Equal(AnchorFindingKind.MissingLedger, AnchorComparison.Missing([A(2, "h2"), A(6, "h6")]).Kind);
        Assert.Equal(6, AnchorComparison.Missing([A(2, "h2"), A(6, "h6")]).Anchor.Sequence);
    }
}

using WelfareAudit.Core.Audit;

namespace WelfareAudit.Core.Tests.Audit;

public sealed class CheckpointStatementTests
{
    private static readonly string Head = new('a', 64);

    [Fact]
    public void Encode_LedgerIdWithALoneSurrogate_FailsClearlyInsteadOfSigningReplacementCharacters()
    {
        // Lenient UTF-8 turns every lone surrogate into U+FFFD: two different ledger ids would get one statement.
        var error = Assert.Throws<ArgumentException>(() => CheckpointStatement.Encode("ledger\ud800", 1, Head, DateTimeOffset.UnixEpoch));

        Assert.Equal("ledgerId", error.ParamName);
        Assert.Contains("not well-formed Unicode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_WellFormedLedgerId_KnownBytes()
    {
        var bytes = CheckpointStatement.Encode("L1", 7, Head, new DateTimeOffset(2026, 11, 25, 14, 3, 7, TimeSpan.Zero).AddTicks(1234567));

        Assert.Equal(
            "5741435001" + "00000002" + "4c31" + "0000000000000007" + Convert.ToHexStringLower(Convert.FromHexString(Head)) +
            "0000001c" + Convert.ToHexStringLower("2026-11-25T14:03:07.1234567Z"u8),
            Convert.ToHexStringLower(bytes));
    }
}

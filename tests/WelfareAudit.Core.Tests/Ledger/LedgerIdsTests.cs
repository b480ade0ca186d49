using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Core.Tests.Ledger;

public class LedgerIdsTests
{
    [Theory]
    [InlineData("8a3f2c1e-5b7d-4e9f-a1c2-3d4e5f6a7b8c", true)]
    [InlineData("practice", true)]
    [InlineData("a.b_c-1", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("a/b", false)]
    [InlineData("x' or PartitionKey ne '", false)]
    [InlineData("caf\u00e9", false)]
    public void IsValid_AsciiIdCharactersOnly(string? id, bool valid)
    {
        Assert.Equal(valid, LedgerIds.IsValid(id));
    }

    [Fact]
    public void IsValid_LengthLimit_IsInclusive()
    {
        Assert.True(LedgerIds.IsValid(new string('a', LedgerIds.MaxLength)));
        Assert.False(LedgerIds.IsValid(new string('a', LedgerIds.MaxLength + 1)));
    }

    [Fact]
    public void ValidationFailedException_For_NamesTheOneField()
    {
        var e = ValidationFailedException.For("therapist", "must be a therapist's object id");

        Assert.Equal(["therapist"], e.Errors.ToDictionary().Keys);
        Assert.Equal(["must be a therapist's object id"], e.Errors.ToDictionary()["therapist"]);
    }
}

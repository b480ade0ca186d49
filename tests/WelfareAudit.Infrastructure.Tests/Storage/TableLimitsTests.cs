using Azure.Data.Tables;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Storage;

namespace WelfareAudit.Infrastructure.Tests.Storage;

public class TableLimitsTests
{
    [Fact]
    public void Check_PropertyOverLimit_NamesTheProperty()
    {
        var entity = new TableEntity("p", "r") { ["S_justification"] = new byte[TableLimits.MaxPropertyBytes + 1] };

        var e = Assert.Throws<StorageLimitException>(() => TableLimits.Check(entity));

        Assert.Contains("S_justification", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_StringCountsTwoBytesPerChar()
    {
        var ok = new TableEntity("p", "r") { ["x"] = new string('a', TableLimits.MaxPropertyBytes / 2) };
        var tooBig = new TableEntity("p", "r") { ["x"] = new string('a', (TableLimits.MaxPropertyBytes / 2) + 1) };

        TableLimits.Check(ok);
        Assert.Throws<StorageLimitException>(() => TableLimits.Check(tooBig));
    }

    [Fact]
    public void Check_TooManyProperties_Throws()
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < TableLimits.MaxCustomProperties + 1; i++)
        {
            entity["P" + i] = i;
        }

        Assert.Throws<StorageLimitException>(() => TableLimits.Check(entity));
        entity.Remove("P0");
        TableLimits.Check(entity);
    }

    [Fact]
    public void Check_EntityOverOneMebibyte_Throws()
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < 18; i++)
        {
            entity["B" + i] = new byte[TableLimits.MaxPropertyBytes];
        }

        var e = Assert.Throws<StorageLimitException>(() => TableLimits.Check(entity));
        Assert.Contains("1048576", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TransactionOverHundredEntities_Throws()
    {
        var actions = Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "r" + i))).ToList();

        Assert.Throws<StorageLimitException>(() => TableLimits.Check(actions));
        TableLimits.Check(actions.Take(100).ToList());
    }
}

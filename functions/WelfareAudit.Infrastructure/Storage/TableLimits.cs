using Azure.Data.Tables;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// The limits of Azure Table storage, enforced here because Azurite does not enforce all of them
/// (the property count, the entity size, the batch count) and the real service rejects a whole
/// transaction that breaks one. Checked before every write, so a too-large entry fails with a clear
/// error instead of a half-understood storage fault.
/// </summary>
public static class TableLimits
{
    /// <summary>Our ceiling for one property; the service rejects 65,536 bytes, so we stay well below.</summary>
    public const int MaxPropertyBytes = 60_000;

    /// <summary>255 properties, three of which are PartitionKey, RowKey and Timestamp.</summary>
    public const int MaxCustomProperties = 252;

    public const int MaxEntityBytes = 1024 * 1024;

    public const int MaxEntitiesPerTransaction = 100;

    public const int MaxTransactionBytes = 4 * 1024 * 1024;

    public static int Check(TableEntity entity)
    {
        var custom = entity.Keys.Count(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"));
        if (custom > MaxCustomProperties)
        {
            throw new StorageLimitException($"An entity would have {custom} properties; Table storage allows {MaxCustomProperties}.");
        }

        var total = 4 + (2 * (entity.PartitionKey.Length + entity.RowKey.Length));
        foreach (var (name, value) in entity)
        {
            var size = value switch
            {
                string s => 2 * s.Length,
                byte[] b => b.Length,
                BinaryData d => d.ToMemory().Length,
                null => 0,
                _ => 8,
            };
            if (size > MaxPropertyBytes)
            {
                throw new StorageLimitException($"Property '{name}' would hold {size} bytes; the limit is {MaxPropertyBytes}.");
            }
            total += 8 + (2 * name.Length) + size;
        }
        if (total > MaxEntityBytes)
        {
            throw new StorageLimitException($"An entity would hold {total} bytes; Table storage allows {MaxEntityBytes}.");
        }
        return total;
    }

    public static void Check(IReadOnlyCollection<TableTransactionAction> actions)
    {
        var total = 0L;
        foreach (var action in actions)
        {
            if (action.Entity is TableEntity entity)
            {
                total += Check(entity);
            }
        }
        CheckTransaction(actions.Count, total);
    }

    /// <summary>The limits of one transaction, for entities already checked one by one (<paramref name="bytes"/>: the sum of their sizes).</summary>
    public static void CheckTransaction(int entities, long bytes)
    {
        if (entities > MaxEntitiesPerTransaction)
        {
            throw new StorageLimitException($"A transaction would hold {entities} entities; Table storage allows {MaxEntitiesPerTransaction}.");
        }
        if (bytes >= MaxTransactionBytes)
        {
            throw new StorageLimitException($"A transaction would hold {bytes} bytes; Table storage allows less than {MaxTransactionBytes}.");
        }
    }
}

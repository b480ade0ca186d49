using System.Globalization;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// The row keys of a ledger partition. Events sort first (19 zero-padded digits), then the head row,
/// then one projection row per search; so the events are the range ["0", ":").
/// </summary>
public static class RowKeys
{
    public const string Head = "head";
    public const string SearchPrefix = "search-";
    public const string EventsFrom = "0";
    public const string EventsTo = ":";

    public static string Event(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    public static bool TryParseEvent(string rowKey, out long sequence)
    {
        sequence = 0;
        return rowKey.Length == 19 && long.TryParse(rowKey, NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    public const string IdempotencyPrefix = "idem-";
    public const string LeasePrefix = "lease-";

    /// <summary>
    /// The partition of job claims (<c>IJobClaims</c>), outside every ledger: '~' cannot be in a ledger id, so no
    /// ledger is ever listed, verified or exported from it; it holds only <c>lease-{name}</c> rows.
    /// </summary>
    public const string JobsPartition = "~jobs";

    public static string Lease(string name) =>
        name.Length is > 0 and <= 64 && name.All(char.IsAsciiLetterOrDigit) ? LeasePrefix + name : throw new ArgumentException("A lease name is 1-64 ASCII letters or digits.", nameof(name));


    /// <summary>The row recording an idempotent append; <paramref name="keyHash"/> is lower-case hex.</summary>
    public static string Idempotency(string keyHash) =>
        keyHash.Length == 64 && keyHash.All(char.IsAsciiHexDigitLower) ? IdempotencyPrefix + keyHash : throw new ArgumentException("An idempotency key hash is 64 lower-case hex digits.", nameof(keyHash));

    public static string Search(Guid searchId) => SearchPrefix + searchId.ToString("D");

    /// <summary>
    /// Ledger ids become partition keys; allow only characters that need no escaping in a key or an
    /// OData filter (an object id GUID, or a fixed system name such as "practice").
    /// </summary>
    public static string CheckLedgerId(string ledgerId)
    {
        if (!LedgerIds.IsValid(ledgerId))
        {
            throw new ArgumentException("A ledger id is 1-128 ASCII letters, digits, '-', '_' or '.'.", nameof(ledgerId));
        }
        return ledgerId;
    }
}

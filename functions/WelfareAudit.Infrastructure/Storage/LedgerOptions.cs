namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// Tuning of the ledger's own resilience (what the Azure SDK does not do for us), bound from
/// <c>WelfareAudit:Storage</c> (<c>WelfareAudit__Storage__MaxAppendAttempts</c>, <c>...__OperationTimeout</c>).
/// </summary>
public sealed class LedgerOptions
{
    /// <summary>How many times an append re-reads and retries after losing the ETag race.</summary>
    public int MaxAppendAttempts { get; set; } = 60;

    /// <summary>The longest one ledger operation (all its attempts together) may take.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

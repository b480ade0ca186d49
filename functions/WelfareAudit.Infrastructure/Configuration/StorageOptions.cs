namespace WelfareAudit.Infrastructure.Configuration;

/// <summary>
/// <c>WelfareAudit:Storage</c>: where the ledger table is (app settings <c>WelfareAudit__Storage__TableName</c>
/// and so on). The ledger's own tuning in the same section is <see cref="Storage.LedgerOptions"/>.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "WelfareAudit:Storage";

    /// <summary>A connection string: development against Azurite only. Production uses <see cref="TableServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table endpoint (https://{account}.table.core.windows.net), reached with the managed identity.</summary>
    public Uri? TableServiceUri { get; set; }

    public string TableName { get; set; } = "WelfareAuditLedger";
}

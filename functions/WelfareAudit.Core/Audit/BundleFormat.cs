namespace WelfareAudit.Core.Audit;

/// <summary>The names of the bundle format (docs/audit.md). Part of the format: never rename one.</summary>
public static class BundleFormat
{
    public const string Name = "welfare-audit-bundle";

    /// <summary>The <c>format</c> of a client accounting bundle (docs/ledger-format.md §18): the lines of a bundle, one client disclosed.</summary>
    public const string ClientAccountingName = "welfare-audit-client-accounting";

    /// <summary>The manifest member of a client accounting bundle that names the client by its blind indexes.</summary>
    public const string ClientIndexes = "clientIndexes";
    public const int Version = 1;
    public const string Manifest = "manifest";
    public const string ManifestSignature = "manifestSignature";
    public const string Event = "event";
    public const string End = "end";
    public const string Error = "error";
    public const string ClientRef = "clientRef";
}

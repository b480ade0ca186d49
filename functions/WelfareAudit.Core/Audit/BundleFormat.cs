namespace WelfareAudit.Core.Audit;

/// <summary>The names of the bundle format (docs/audit.md). Part of the format: never rename one.</summary>
public static class BundleFormat
{
    public const string Name = "welfare-audit-bundle";
    public const int Version = 1;
    public const string Manifest = "manifest";
    public const string ManifestSignature = "manifestSignature";
    public const string Event = "event";
    public const string End = "end";
    public const string Error = "error";
    public const string ClientRef = "clientRef";
}

namespace WelfareAudit.Http;

/// <summary>
/// The one route table. Both hosts map exactly these (a test compares it with the functions.metadata the
/// Functions SDK generates); Functions runs with an empty route prefix so the templates are the URLs.
/// </summary>
public static class Routes
{
    public const string Searches = "api/searches";
    public const string Search = "api/searches/{id}";
    public const string NextSession = "api/searches/{id}/next-session";
    public const string Discussion = "api/searches/{id}/discussion";
    public const string Amendments = "api/searches/{id}/amendments";
    public const string VerifyLedger = "api/ledger/verify";
    public const string Health = "api/health";
    public const string AuditExport = "api/audit/export";
    public const string AuditSigningKey = "api/audit/signing-key";

    /// <summary>The phone page and its assets; the catch-all loses to every literal API route.</summary>
    public const string PhonePage = "{*asset}";

    /// <summary>Every HTTP function: name, method, template, and whether it needs an identity.</summary>
    public static readonly IReadOnlyList<RouteEntry> All =
    [
        new("LogSearch", "POST", Searches, RequiresIdentity: true),
        new("ListSearches", "GET", Searches, RequiresIdentity: true),
        new("GetSearch", "GET", Search, RequiresIdentity: true),
        new("SetNextSession", "PUT", NextSession, RequiresIdentity: true),
        new("RecordDiscussion", "POST", Discussion, RequiresIdentity: true),
        new("AmendSearch", "POST", Amendments, RequiresIdentity: true),
        new("VerifyLedger", "GET", VerifyLedger, RequiresIdentity: true),
        new("ExportAudit", "GET", AuditExport, RequiresIdentity: true),
        new("GetSigningKey", "GET", AuditSigningKey, RequiresIdentity: true),
        new("Health", "GET", Health, RequiresIdentity: false),
        new("PhonePage", "GET", PhonePage, RequiresIdentity: false),
    ];
}

/// <summary>One HTTP function. The Functions authorization level is always anonymous: identity comes from App Service Authentication.</summary>
public sealed record RouteEntry(string Name, string Method, string Template, bool RequiresIdentity);

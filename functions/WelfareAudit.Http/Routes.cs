namespace WelfareAudit.Http;

/// <summary>
/// The one route table: each HTTP function is declared here once (name, method, template, who may call
/// it, the rate budget it spends, its handler). The local host maps this table; the Functions adapters
/// name the same templates in their trigger attributes (the SDK reads attributes at build time) and run
/// the same dispatch, and tests compare both hosts' routes and docs/openapi.json with it. Functions runs
/// with an empty route prefix, so the templates are the URLs.
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
    public const string LedgerCosignatures = "api/ledger/cosignatures";
    public const string Reviews = "api/reviews";
    public const string Review = "api/searches/{id}/review";
    public const string Oversight = "api/oversight";

    /// <summary>The phone page and its assets; the catch-all loses to every literal API route.</summary>
    public const string PhonePage = "{*asset}";

    public static readonly IReadOnlyList<ApiRoute> All =
    [
        new("LogSearch", "POST", Searches, RouteAccess.Therapist, RateBudget.Writes, c => c.Services.Searches.LogSearch(c.Context, c.Caller!)),
        new("ListSearches", "GET", Searches, RouteAccess.TherapistOrSupervisor, null, c => c.Services.Searches.ListSearches(c.Context, c.Caller!)),
        new("GetSearch", "GET", Search, RouteAccess.TherapistOrSupervisor, null, c => c.Services.Searches.GetSearch(c.Context, c.Caller!, c.RouteValue!)),
        new("SetNextSession", "PUT", NextSession, RouteAccess.Therapist, RateBudget.Writes, c => c.Services.Searches.SetNextSession(c.Context, c.Caller!, c.RouteValue!)),
        new("RecordDiscussion", "POST", Discussion, RouteAccess.Therapist, RateBudget.Writes, c => c.Services.Searches.RecordDiscussion(c.Context, c.Caller!, c.RouteValue!)),
        new("AmendSearch", "POST", Amendments, RouteAccess.Therapist, RateBudget.Writes, c => c.Services.Searches.AmendSearch(c.Context, c.Caller!, c.RouteValue!)),
        new("VerifyLedger", "GET", VerifyLedger, RouteAccess.TherapistOrSupervisor, null, c => c.Services.Searches.VerifyLedger(c.Context, c.Caller!)),
        new("ExportAudit", "GET", AuditExport, RouteAccess.Supervisor, RateBudget.Exports, c => c.Services.Audit.ExportAudit(c.Context, c.Caller!)),
        new("RecordCosignatures", "POST", LedgerCosignatures, RouteAccess.Supervisor, RateBudget.Writes, c => c.Services.Witness.RecordCosignatures(c.Context, c.Caller!)),
        new("GetSigningKey", "GET", AuditSigningKey, RouteAccess.AnyCaller, null, c => c.Services.Audit.GetSigningKey(c.Context)),
        new("ListReviews", "GET", Reviews, RouteAccess.Supervisor, null, c => c.Services.Reviews.ListReviews(c.Context, c.Caller!)),
        new("ReviewSearch", "POST", Review, RouteAccess.Supervisor, RateBudget.Writes, c => c.Services.Reviews.ReviewSearch(c.Context, c.Caller!, c.RouteValue!)),
        new("GetOversight", "GET", Oversight, RouteAccess.Supervisor, null, c => c.Services.Reviews.GetOversight(c.Context, c.Caller!)),
        new("Health", "GET", Health, RouteAccess.Anonymous, null, _ => Task.FromResult(SearchHandlers.Health())),
        new("PhonePage", "GET", PhonePage, RouteAccess.Anonymous, null, c => c.Services.Page.Serve(c.Context, c.RouteValue)),
    ];
}

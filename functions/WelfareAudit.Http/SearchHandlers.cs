using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Http;

/// <summary>
/// The search handlers, written once and hosted twice (Azure Functions and the local Kestrel host) through
/// <see cref="ApiDispatch"/>, which resolves the caller, checks the route's role and budget and maps faults.
/// Each binds its input, calls one use case, and maps the outcome to a result.
/// </summary>
public sealed class SearchHandlers(CrisisSearchService searches)
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string IdempotentReplayedHeader = "Idempotent-Replayed";

    private static readonly JsonSerializerOptions Output = new(JsonSerializerDefaults.Web);

    public async Task<IResult> LogSearch(HttpContext context, Caller caller)
    {
        var (draft, bytes) = await RequestBody.ReadAsync<CrisisSearchDraft>(context.Request, context.RequestAborted);
        var result = Replayed(context, await searches.LogAsync(caller, draft, Idempotency(context, caller, bytes, nameof(LogSearch), null), context.RequestAborted));
        var id = result.SearchId!.Value;
        return TypedResults.Created($"/api/searches/{id:D}", Appended(id, result));
    }

    private static readonly string[] ListParameters = ["status", "therapist", "risk", "pageSize", "continuation"];

    /// <summary>One page of the list; the query string is strict (unknown or repeated parameters are refused, naming them).</summary>
    public async Task<IResult> ListSearches(HttpContext context, Caller caller)
    {
        var query = QueryParameters.Single(context.Request.Query, ListParameters, "the search list");
        // An empty filter means none (docs/api.md); the paging parameters have no empty form.
        static string? Filter(string? value) => string.IsNullOrEmpty(value) ? null : value;
        var parsed = SearchListQuery.Parse(Filter(query["status"]), Filter(query["therapist"]), Filter(query["risk"]), query["pageSize"], query["continuation"]);
        var page = await searches.ListPageAsync(caller, parsed, context.RequestAborted);
        return TypedResults.Json(new
        {
            items = page.Items.Select(SummaryJson),
            next = page.Next,
            unreadable = page.Unreadable.Select(f => new { ledger = f.LedgerId, sequence = f.Problem.Sequence, kind = f.Problem.Kind.ToString() }),
        }, Output);
    }

    public async Task<IResult> GetSearch(HttpContext context, Caller caller, string id)
    {
        var detail = await searches.GetAsync(caller, ParseId(id), context.RequestAborted);
        var e = detail.Entry;
        return TypedResults.Json(new
        {
            summary = SummaryJson(detail.Summary),
            entry = new
            {
                e.ClientRef,
                e.OccurredAt,
                crisis = new
                {
                    e.Crisis.DangerSuspected,
                    riskLevel = EnumText.ToText(e.Crisis.RiskLevel),
                    contactAttempts = e.Crisis.ContactAttempts.Select(a => new { channel = EnumText.ToText(a.Channel), a.At }),
                },
                e.Justification,
                scope = new { sources = e.Scope.Sources.Select(EnumText.ToText), e.Scope.Queries },
                e.Findings,
                e.ActionsTaken,
                e.ThirdPartyContacted,
                e.NextSessionAt,
            },
            discussion = detail.Discussion,
            amendments = detail.Amendments,
            reminders = detail.Reminders,
            reviews = detail.Reviews,
            loggedSequence = detail.LoggedSequence,
        }, Output);
    }

    public async Task<IResult> SetNextSession(HttpContext context, Caller caller, string id)
    {
        var searchId = ParseId(id);
        var (draft, bytes) = await RequestBody.ReadAsync<NextSessionDraft>(context.Request, context.RequestAborted);
        var result = Replayed(context, await searches.SetNextSessionAsync(caller, searchId, draft, Idempotency(context, caller, bytes, nameof(SetNextSession), searchId), context.RequestAborted));
        return TypedResults.Ok(Appended(searchId, result));
    }

    public async Task<IResult> RecordDiscussion(HttpContext context, Caller caller, string id)
    {
        var searchId = ParseId(id);
        var (draft, bytes) = await RequestBody.ReadAsync<DiscussionDraft>(context.Request, context.RequestAborted);
        var result = Replayed(context, await searches.RecordDiscussionAsync(caller, searchId, draft, Idempotency(context, caller, bytes, nameof(RecordDiscussion), searchId), context.RequestAborted));
        return TypedResults.Created($"/api/searches/{searchId:D}", Appended(searchId, result));
    }

    public async Task<IResult> AmendSearch(HttpContext context, Caller caller, string id)
    {
        var searchId = ParseId(id);
        var (draft, bytes) = await RequestBody.ReadAsync<AmendmentDraft>(context.Request, context.RequestAborted);
        var result = Replayed(context, await searches.AmendAsync(caller, searchId, draft, Idempotency(context, caller, bytes, nameof(AmendSearch), searchId), context.RequestAborted));
        return TypedResults.Created($"/api/searches/{searchId:D}", Appended(searchId, result));
    }

    public async Task<IResult> VerifyLedger(HttpContext context, Caller caller)
    {
        var results = await searches.VerifyAsync(caller, context.RequestAborted);
        return TypedResults.Json(new
        {
            ok = results.All(r => r.Ok),
            ledgers = results.Select(r => new
            {
                id = r.LedgerId,
                events = r.Events,
                headHash = r.HeadHash,
                problem = r.Problem is null ? null : new { sequence = r.Problem.Sequence, kind = r.Problem.Kind.ToString(), detail = r.Problem.Detail, anchor = r.Problem.Anchor },
                anchors = r.Anchors is null ? null : new { anchored = r.Anchors.Anchored, latestSequence = r.Anchors.LatestSequence, unanchored = r.Anchors.Unanchored },
            }),
        }, Output);
    }

    public static IResult Health() => TypedResults.Json(new { status = "ok" }, Output);

    private static object Appended(Guid id, AppendResult result) =>
        new { id, sequence = result.Sequence, hash = result.Hash, recordedAt = result.RecordedAt };

    private static object SummaryJson(SearchSummary s) => new
    {
        s.Id,
        s.Therapist,
        s.ClientRef,
        s.OccurredAt,
        s.LoggedAt,
        status = s.Status,
        s.NextSessionAt,
        s.DiscussedAt,
        s.RemindersSent,
        s.Reference,
    };

    /// <summary>Every write answers a replay of its original with <c>Idempotent-Replayed: true</c>.</summary>
    internal static AppendResult Replayed(HttpContext context, AppendResult result)
    {
        if (result.Replayed)
        {
            context.Response.Headers[IdempotentReplayedHeader] = "true";
        }
        return result;
    }

    /// <summary>
    /// The claim of an idempotent write. Its scope is the caller, the route (its name in the route table,
    /// not the text of the URL, so a change of case or a trailing slash is the same request) and the
    /// search the route names (as a parsed id), then the key. Only hashes leave this method; the ledger
    /// stores the request's hash keyed (see docs/ledger-format.md §2.6).
    /// </summary>
    internal static IdempotencyClaim? Idempotency(HttpContext context, Caller caller, byte[] body, string route, Guid? searchId) =>
        IdempotencyFor(context, caller, body, route, searchId is { } id ? id.ToString("D") : "");

    /// <summary>The same claim for a route whose subject is not a search (the witness upload: one claim per ledger).</summary>
    internal static IdempotencyClaim? IdempotencyFor(HttpContext context, Caller caller, byte[] body, string route, string subject)
    {
        var values = context.Request.Headers[IdempotencyHeader];
        if (values.Count == 0)
        {
            return null;
        }
        var key = values.Count == 1 ? values[0] : null;
        if (key is null || key.Length is 0 or > 128 || !key.All(c => c is > ' ' and < (char)127))
        {
            throw ValidationFailedException.For(IdempotencyHeader, "must be 1-128 printable ASCII characters (a UUID is recommended)");
        }
        var scope = caller.ObjectId + "\n" + route + "\n" + subject + "\n" + key;
        var keyHash = RequestBody.Sha256Hex(Encoding.UTF8.GetBytes(scope));
        return new IdempotencyClaim(keyHash, RequestBody.Sha256Hex(body));
    }

    internal static Guid ParseId(string id) =>
        Guid.TryParseExact(id, "D", out var guid) ? guid : throw new NotFoundException("No such search.");
}

using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Reviews;

namespace WelfareAudit.Http;

/// <summary>
/// The supervisor's endpoints: the review queue, the review of a search, the oversight figures. Each binds its
/// input strictly (unknown or repeated query parameters are refused, naming them), calls one use case of
/// <see cref="ReviewService"/> and maps the result.
/// </summary>
public sealed class ReviewHandlers(ReviewService reviews)
{
    private static readonly JsonSerializerOptions Output = new(JsonSerializerDefaults.Web);

    private static readonly string[] QueueParameters = ["therapist", "risk", "overdue", "pageSize", "continuation"];

    public async Task<IResult> ListReviews(HttpContext context, Caller caller)
    {
        var query = QueryParameters.Single(context.Request.Query, QueueParameters, "the review queue");
        var parsed = ReviewQuery.Parse(query["therapist"], query["risk"], query["overdue"], query["pageSize"], query["continuation"]);
        var page = await reviews.QueueAsync(caller, parsed, context.RequestAborted);
        return TypedResults.Json(new { items = page.Items, next = page.Next, unreadable = Findings(page.Unreadable) }, Output);
    }

    public async Task<IResult> ReviewSearch(HttpContext context, Caller caller, string id)
    {
        var searchId = SearchHandlers.ParseId(id);
        var (draft, bytes) = await RequestBody.ReadAsync<ReviewDraft>(context.Request, context.RequestAborted);
        var idempotency = SearchHandlers.Idempotency(context, caller, bytes, nameof(ReviewSearch), searchId);
        var review = await reviews.ReviewAsync(caller, searchId, draft, idempotency, context.RequestAborted);
        SearchHandlers.Replayed(context, review.Append);
        return TypedResults.Created($"/api/searches/{searchId:D}", new
        {
            id = searchId,
            outcome = review.Outcome,
            reviewer = review.Reviewer,
            reviewedAt = review.Append.RecordedAt,
            sequence = review.Append.Sequence,
            hash = review.Append.Hash,
        });
    }

    public async Task<IResult> GetOversight(HttpContext context, Caller caller)
    {
        QueryParameters.Single(context.Request.Query, [], "the oversight view");
        var view = await reviews.OversightAsync(caller, context.RequestAborted);
        return TypedResults.Json(new
        {
            view.AsOf,
            view.Overdue,
            view.Escalations,
            view.Rarity,
            view.AwaitingReview,
            unreadable = Findings(view.Unreadable),
        }, Output);
    }

    /// <summary>What was left out, as <c>GET /api/searches</c> names it: ledger, sequence (0 for a search row), kind.</summary>
    private static IEnumerable<object> Findings(IReadOnlyList<LedgerFinding> findings) =>
        findings.Select(f => new { ledger = f.LedgerId, sequence = f.Problem.Sequence, kind = f.Problem.Kind.ToString() });
}

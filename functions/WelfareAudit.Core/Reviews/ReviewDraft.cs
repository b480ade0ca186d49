namespace WelfareAudit.Core.Reviews;

/// <summary>The body of <c>POST /api/searches/{id}/review</c>.</summary>
public sealed class ReviewDraft
{
    public string? Outcome { get; set; }
    public string? Note { get; set; }
}

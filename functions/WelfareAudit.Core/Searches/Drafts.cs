namespace WelfareAudit.Core.Searches;

public sealed class NextSessionDraft
{
    public DateTimeOffset? NextSessionAt { get; set; }
}

public sealed class DiscussionDraft
{
    public DateTimeOffset? DiscussedAt { get; set; }
    public string? Note { get; set; }
    public string? ClientResponse { get; set; }
}

public sealed class AmendmentDraft
{
    public string? Field { get; set; }
    public string? Value { get; set; }
    public string? Reason { get; set; }
}

namespace WelfareAudit.Core.Searches;

public sealed class DiscussionDraft
{
    public DateTimeOffset? DiscussedAt { get; set; }
    public string? Note { get; set; }
    public string? ClientResponse { get; set; }
}

namespace WelfareAudit.Core.Searches;

public sealed class NextSessionDraft
{
    public DateTimeOffset? NextSessionAt { get; set; }
}

namespace WelfareAudit.Core.Searches;

public sealed class ScopeDraft
{
    public List<string?>? Sources { get; set; }
    public List<string?>? Queries { get; set; }
}

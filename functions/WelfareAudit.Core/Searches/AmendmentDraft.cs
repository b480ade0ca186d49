namespace WelfareAudit.Core.Searches;

public sealed class AmendmentDraft
{
    public string? Field { get; set; }
    public string? Value { get; set; }
    public string? Reason { get; set; }
}

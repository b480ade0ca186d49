namespace WelfareAudit.Core.Searches;

public sealed class ThirdPartyDraft
{
    public string? Recipient { get; set; }
    public string? Disclosed { get; set; }
}

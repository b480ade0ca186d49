namespace WelfareAudit.Core.Searches;

public sealed class CrisisDraft
{
    public string? DangerSuspected { get; set; }
    public string? RiskLevel { get; set; }
    public List<ContactAttemptDraft?>? ContactAttempts { get; set; }
}

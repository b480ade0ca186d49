namespace WelfareAudit.Core.Identity;

public enum Role
{
    /// <summary>Logs, sees and updates their own searches.</summary>
    Therapist,

    /// <summary>Reads every ledger of the practice, exports, verifies, reviews.</summary>
    Supervisor,
}

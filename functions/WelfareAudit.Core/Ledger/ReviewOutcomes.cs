namespace WelfareAudit.Core.Ledger;

/// <summary>The outcomes of a supervisor's review of a search. The texts are part of the ledger format: never rename one.</summary>
public static class ReviewOutcomes
{
    public const string Appropriate = "appropriate";
    public const string Concern = "concern";
    public const string FollowUpNeeded = "follow-up-needed";

    public static readonly IReadOnlyList<string> All = [Appropriate, Concern, FollowUpNeeded];

    public static bool IsValid(string? outcome) => outcome is not null && All.Contains(outcome, StringComparer.Ordinal);
}

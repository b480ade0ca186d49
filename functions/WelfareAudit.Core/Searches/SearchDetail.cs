using WelfareAudit.Core.Reviews;

namespace WelfareAudit.Core.Searches;

/// <summary>One search in full, decrypted, with its history.</summary>
public sealed record SearchDetail(
    SearchSummary Summary,
    CrisisSearchEntry Entry,
    DiscussionView? Discussion,
    IReadOnlyList<AmendmentView> Amendments,
    IReadOnlyList<ReminderView> Reminders,
    long LoggedSequence,
    IReadOnlyList<ReviewView> Reviews);

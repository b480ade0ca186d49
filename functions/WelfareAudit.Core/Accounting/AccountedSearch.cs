using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Accounting;

/// <summary>
/// One search about the client, as the accounting tells it: the entry as logged, what happened after it (next
/// session, discussion, corrections, reminders, supervisor reviews), and who searched (<see cref="Therapist"/>:
/// the ledger it is in, the therapist's object id, which the page never prints).
/// </summary>
public sealed record AccountedSearch(
    string Therapist,
    Guid SearchId,
    DateTimeOffset LoggedAt,
    CrisisSearchEntry Entry,
    DateTimeOffset? NextSessionAt,
    DiscussionView? Discussion,
    IReadOnlyList<AmendmentView> Amendments,
    int Reminders,
    int Reviews);

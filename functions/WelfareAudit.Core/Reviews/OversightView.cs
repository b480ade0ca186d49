using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Reviews;

/// <summary>
/// What the supervisor's page shows at a glance: overdue searches, escalations, rarity, the review backlog; and the
/// searches (or ledgers) left out because their rows fail an integrity check.
/// </summary>
public sealed record OversightView(
    DateTimeOffset AsOf,
    IReadOnlyList<OverdueSearch> Overdue,
    IReadOnlyList<EscalationSent> Escalations,
    RarityView Rarity,
    int AwaitingReview,
    IReadOnlyList<LedgerFinding> Unreadable);

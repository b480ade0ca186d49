using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Reviews;

/// <summary>A review appended (or replayed): the append and what was recorded.</summary>
public sealed record ReviewRecorded(Guid SearchId, string Outcome, string Reviewer, AppendResult Append);

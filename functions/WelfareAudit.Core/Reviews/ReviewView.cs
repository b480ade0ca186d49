namespace WelfareAudit.Core.Reviews;

/// <summary>A supervisor's review as the search's detail shows it (to its therapist and to supervisors).</summary>
public sealed record ReviewView(string Outcome, string Reviewer, DateTimeOffset ReviewedAt, string? Note);

namespace WelfareAudit.Core.Searches;

/// <summary>One search in a list: for the therapist's own screen (it carries the client code, decrypted).</summary>
public sealed record SearchSummary(
    Guid Id,
    string Therapist,
    string ClientRef,
    DateTimeOffset OccurredAt,
    DateTimeOffset LoggedAt,
    string Status,
    DateTimeOffset? NextSessionAt,
    DateTimeOffset? DiscussedAt,
    int RemindersSent,
    string Reference);

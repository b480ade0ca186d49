using WelfareAudit.Core.Ledger;

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

/// <summary>
/// A list of searches, and the ledgers (with the row) whose searches could not be read because their
/// stored rows fail an integrity check; those are left out of <see cref="Items"/>.
/// </summary>
public sealed record SearchList(IReadOnlyList<SearchSummary> Items, IReadOnlyList<LedgerFinding> Unreadable);

public sealed record DiscussionView(DateTimeOffset DiscussedAt, string? Note, string? ClientResponse);

public sealed record AmendmentView(string Field, string Value, string Reason, bool ClosesSearch, DateTimeOffset RecordedAt);

public sealed record ReminderView(string Kind, string Channel, DateTimeOffset SentAt);

/// <summary>One search in full, decrypted, with its history.</summary>
public sealed record SearchDetail(
    SearchSummary Summary,
    CrisisSearchEntry Entry,
    DiscussionView? Discussion,
    IReadOnlyList<AmendmentView> Amendments,
    IReadOnlyList<ReminderView> Reminders,
    long LoggedSequence);

public static class SearchStatusText
{
    public const string AwaitingDiscussion = "awaiting-discussion";
    public const string Discussed = "discussed";
    public const string Closed = "closed";
    public const string All = "all";

    public static string Of(SearchState state) => state switch
    {
        SearchState.AwaitingDiscussion => AwaitingDiscussion,
        SearchState.Discussed => Discussed,
        _ => Closed,
    };

    /// <summary>A short opaque reference for notifications and phone screens: no client data, not the full id.</summary>
    public static string Reference(Guid id) => "WA-" + id.ToString("N")[..8].ToUpperInvariant();
}

namespace WelfareAudit.Core.Ledger;

/// <summary>The event types of a ledger. The names are part of the hashed format: never rename one.</summary>
public static class EventTypes
{
    public const string SearchLogged = nameof(SearchLogged);
    public const string NextSessionSet = nameof(NextSessionSet);
    public const string ReminderSent = nameof(ReminderSent);
    public const string DiscussedWithClient = nameof(DiscussedWithClient);
    public const string EntryAmended = nameof(EntryAmended);
    public const string SupervisorReviewed = nameof(SupervisorReviewed);
    public const string Checkpoint = nameof(Checkpoint);
    public const string AuditExported = nameof(AuditExported);
    public const string KeyRotated = nameof(KeyRotated);
    public const string WitnessCosigned = nameof(WitnessCosigned);

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        SearchLogged, NextSessionSet, ReminderSent, DiscussedWithClient, EntryAmended,
        SupervisorReviewed, Checkpoint, AuditExported, KeyRotated,
        WitnessCosigned,
    };
}

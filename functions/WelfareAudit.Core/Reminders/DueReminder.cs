using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Reminders;

/// <summary>
/// One reminder that is due for one search on one channel. <see cref="Key"/> names it for good
/// (kind, the session or day it is about, the channel): once a <c>ReminderSent</c> with that key is in
/// the ledger, it is never due again.
/// </summary>
public sealed record DueReminder(SearchProjection Search, string Kind, string Key, DateTimeOffset? SessionAt, ReminderAudience Audience, string Channel);

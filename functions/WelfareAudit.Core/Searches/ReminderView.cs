namespace WelfareAudit.Core.Searches;

public sealed record ReminderView(string Kind, string Channel, DateTimeOffset SentAt);

namespace WelfareAudit.Core.Searches;

public sealed record AmendmentView(string Field, string Value, string Reason, bool ClosesSearch, DateTimeOffset RecordedAt);

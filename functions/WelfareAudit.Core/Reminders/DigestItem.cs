namespace WelfareAudit.Core.Reminders;

/// <summary>One line of a digest: an opaque reference and times, never client data.</summary>
public sealed record DigestItem(string Reference, string Kind, DateTimeOffset? SessionAt, string? SessionAtLocal);

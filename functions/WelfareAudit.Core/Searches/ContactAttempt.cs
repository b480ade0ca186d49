namespace WelfareAudit.Core.Searches;

/// <summary>One failed attempt to reach the client through the usual means.</summary>
public sealed record ContactAttempt(ContactChannel Channel, DateTimeOffset At);

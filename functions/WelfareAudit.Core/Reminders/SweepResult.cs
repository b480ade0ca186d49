namespace WelfareAudit.Core.Reminders;

/// <summary>What one sweep did (counts only).</summary>
public sealed record SweepResult(int Ledgers, int Due, int Sent, int Recorded, int FailedDigests, int SkippedLedgers);

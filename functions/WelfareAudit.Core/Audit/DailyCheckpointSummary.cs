namespace WelfareAudit.Core.Audit;

/// <summary>What one daily checkpoint run did.</summary>
public sealed record DailyCheckpointSummary(int Checkpointed, int AlreadyDone);

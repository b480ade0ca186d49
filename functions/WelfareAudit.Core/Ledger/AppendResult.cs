namespace WelfareAudit.Core.Ledger;

/// <summary>
/// The outcome of an append: where the event landed in the chain. <see cref="Replayed"/> is true when an
/// idempotent retry returned the result of the original append instead of appending again.
/// </summary>
public sealed record AppendResult(long Sequence, string Hash, DateTimeOffset RecordedAt, Guid? SearchId = null, bool Replayed = false);

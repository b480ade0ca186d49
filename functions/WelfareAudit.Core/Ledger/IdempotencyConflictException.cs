namespace WelfareAudit.Core.Ledger;

/// <summary>The idempotency key was used before for a different request.</summary>
public sealed class IdempotencyConflictException() : Exception("The Idempotency-Key was already used for a different request.");

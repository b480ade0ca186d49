namespace WelfareAudit.Core.Ledger;

/// <summary>
/// Makes an append idempotent: the first append with <see cref="KeyHash"/> is recorded in the same
/// transaction as its event; a later one with the same request returns that result, and one with a
/// different request is refused. Both values are hashes: the raw key and body are never stored.
/// </summary>
public sealed record IdempotencyClaim(string KeyHash, string RequestHash);

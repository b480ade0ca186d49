namespace WelfareAudit.Core.Accounting;

/// <summary>An accounting provided earlier for the same client (a <see cref="Ledger.ClientAccountingProvided"/> event).</summary>
public sealed record EarlierAccounting(string LedgerId, DateTimeOffset ProvidedAt, string RequestedBy, string Format, long Count);

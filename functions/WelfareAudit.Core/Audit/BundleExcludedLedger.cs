namespace WelfareAudit.Core.Audit;

/// <summary>A ledger the export left out (manifest <c>excluded</c>): the first problem verification found in storage.</summary>
public sealed record BundleExcludedLedger(string LedgerId, long Sequence, string Kind);

namespace WelfareAudit.Core.Witness;

/// <summary>One ledger's part of a bundle, as its manifest lists it: sequences <see cref="First"/>..<see cref="Last"/>.</summary>
public sealed record BundleChainPart(string LedgerId, long First, long Last);

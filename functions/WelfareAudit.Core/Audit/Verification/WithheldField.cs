namespace WelfareAudit.Core.Audit.Verification;

/// <summary>A field withheld by an event: its commitment, and the pseudonym of a withheld client code.</summary>
internal sealed record WithheldField(string Name, byte[] Commitment, string? Pseudonym);

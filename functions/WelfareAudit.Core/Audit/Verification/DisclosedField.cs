namespace WelfareAudit.Core.Audit.Verification;

/// <summary>A field disclosed by an event: its value and salt, and the commitment they make.</summary>
internal sealed record DisclosedField(string Name, string Value, byte[] Commitment);

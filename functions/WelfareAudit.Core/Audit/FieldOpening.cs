namespace WelfareAudit.Core.Audit;

/// <summary>A sensitive field opened for an audit: its value and the salt of its commitment.</summary>
public sealed record FieldOpening(string Value, byte[] Salt);

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>A decrypted sensitive value with the salt of its commitment (what an export discloses).</summary>
public sealed record DisclosedField(string Value, byte[] Salt);

namespace WelfareAudit.Core.Audit;

/// <summary>A public signing key and its id, as published by <c>GET /api/audit/signing-key</c> and in bundles.</summary>
public sealed record PublicSigningKey(string KeyId, string PublicKeyPem);

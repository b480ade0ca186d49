namespace WelfareAudit.Core.Ledger;

/// <summary>
/// A key was rotated: new data is protected under <paramref name="KeyId"/> (purpose <c>data</c>, <c>index</c> or
/// <c>signing</c>); older keys stay readable. A signing key's rotation announces its public key
/// (<paramref name="PublicKey"/>: base64 of the SubjectPublicKeyInfo DER), so a verifier can tell a checkpoint signed by
/// a key the chain announced from one signed by a key it never did (docs/ledger-format.md §17).
/// </summary>
public sealed record KeyRotated(string Purpose, string KeyId, string? PublicKey = null) : LedgerEvent
{
    public const string Data = "data";
    public const string Index = "index";
    public const string Signing = "signing";

    public override string Type => EventTypes.KeyRotated;

    public override EventFields ToFields() => new EventFields()
        .WithClear("purpose", Purpose)
        .WithClear("keyId", KeyId)
        .WithClear("publicKey", PublicKey);
}

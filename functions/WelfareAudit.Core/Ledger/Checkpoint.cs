namespace WelfareAudit.Core.Ledger;

/// <summary>
/// A signed statement of the chain head: proves what the ledger held at that point, also when nothing
/// else happened. <paramref name="Signature"/> is ECDSA P-256 / SHA-256 (IEEE P1363, base64) over
/// <c>Audit.CheckpointStatement</c> of (ledger id, <paramref name="UpToSequence"/>, <paramref name="HeadHash"/>, <paramref name="SignedAt"/>).
/// </summary>
public sealed record Checkpoint(long UpToSequence, string HeadHash, DateTimeOffset SignedAt, string SigningKeyId, string Signature) : LedgerEvent
{
    public override string Type => EventTypes.Checkpoint;

    public override EventFields ToFields() => new EventFields()
        .WithClear("upToSequence", Int(UpToSequence))
        .WithClear("headHash", HeadHash)
        .WithClear("signedAt", Time(SignedAt))
        .WithClear("signingKeyId", SigningKeyId)
        .WithClear("signature", Signature);
}

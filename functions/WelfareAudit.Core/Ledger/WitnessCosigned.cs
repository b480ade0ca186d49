namespace WelfareAudit.Core.Ledger;

/// <summary>
/// A witness outside the practice cosigned this ledger's head (docs/ledger-format.md §15): a C2SP
/// cosignature/v1 by <paramref name="Witness"/> (its signed-note verifier key) over the checkpoint note
/// (<paramref name="Origin"/>, <paramref name="TreeSize"/>, <paramref name="RootHash"/>, <paramref name="HeadHash"/>).
/// <paramref name="Signature"/> is the note signature as its line carries it: base64(key ID ‖ u64 time ‖ Ed25519 signature).
/// Every field is clear: a cosignature says nothing about a client.
/// </summary>
public sealed record WitnessCosigned(string Witness, string Origin, long TreeSize, string RootHash, string HeadHash, string Signature) : LedgerEvent
{
    public override string Type => EventTypes.WitnessCosigned;

    public override EventFields ToFields() => new EventFields()
        .WithClear("witness", Witness)
        .WithClear("origin", Origin)
        .WithClear("treeSize", Int(TreeSize))
        .WithClear("rootHash", RootHash)
        .WithClear("headHash", HeadHash)
        .WithClear("signature", Signature);
}

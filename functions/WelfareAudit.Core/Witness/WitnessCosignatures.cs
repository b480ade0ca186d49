using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// Checks one cosignature, as the API checks an upload and the verifier checks a <see cref="WitnessCosigned"/>
/// event: the values are well-formed, the origin names the ledger, and the note signature is a valid
/// cosignature/v1 by the witness key over the checkpoint note they make (docs/ledger-format.md §15).
/// Whether the note agrees with the chain is the caller's check: it needs the chain.
/// </summary>
public static class WitnessCosignatures
{
    public static CosignatureVerdict Check(NoteVerifierKey witness, string ledgerId, string? origin, long? treeSize, string? rootHash, string? headHash, string? signature)
    {
        if (origin is null || WitnessOrigin.TryLedgerId(origin) != ledgerId)
        {
            return CosignatureVerdict.Bad("origin", "must be {practice}/welfare-audit/{ledgerId}, naming this ledger");
        }
        if (treeSize is not > 0)
        {
            return CosignatureVerdict.Bad("treeSize", "must be the cosigned sequence, 1 or more");
        }
        var root = rootHash is null ? null : NoteBase64.TryDecode(rootHash);
        if (root is not { Length: MerkleTree.HashSize } || Convert.ToBase64String(root) != rootHash)
        {
            return CosignatureVerdict.Bad("rootHash", "must be the base64 of a 32-byte RFC 6962 root");
        }
        if (headHash is null || !CheckpointNote.IsHash(headHash))
        {
            return CosignatureVerdict.Bad("headHash", "must be 64 lower-case hex digits");
        }
        var bytes = signature is null ? null : NoteBase64.TryDecode(signature);
        if (bytes is not { Length: 4 + Cosignature.Size })
        {
            return CosignatureVerdict.Bad("signature", "must be the base64 of a cosignature/v1 note signature (key ID, time, Ed25519 signature: 76 bytes)");
        }
        var note = new CheckpointNote(origin, treeSize.Value, root, headHash);
        var line = new NoteSignature(witness.Name, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes), bytes[4..]);
        if (line.KeyId != witness.KeyId)
        {
            return CosignatureVerdict.Bad("signature", "is not by the witness key (its key ID differs)");
        }
        return Cosignature.Verify(witness, note.Body, line) is { } timestamp
            ? new CosignatureVerdict(note, timestamp, null, null)
            : CosignatureVerdict.Bad("signature", "does not verify with the witness key over this checkpoint note");
    }

    public static CosignatureVerdict Check(NoteVerifierKey witness, string ledgerId, WitnessCosigned e) =>
        Check(witness, ledgerId, e.Origin, e.TreeSize, e.RootHash, e.HeadHash, e.Signature);

    /// <summary>The event that records a checked cosignature in the ledger.</summary>
    public static WitnessCosigned ToEvent(NoteVerifierKey witness, CosignatureEntry entry) =>
        new(witness.ToText(), entry.Origin!, entry.TreeSize!.Value, entry.RootHash!, entry.HeadHash!, entry.Signature!);

    /// <summary>A cosignature's POSIX time as a date (a time past year 9999 shows as the last second of 9999).</summary>
    public static DateTimeOffset TimeOf(long timestamp) => DateTimeOffset.FromUnixTimeSeconds(Math.Min(timestamp, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
}

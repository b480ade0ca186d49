using WelfareAudit.Core.Anchors;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// Signs a ledger's head and appends the signature as a <see cref="Checkpoint"/> event. The head is read
/// first; if another writer appends between the read and the append, the checkpoint still states a true
/// fact about an earlier position (a verifier checks it against that position's hash). Once appended, the
/// checkpoint is also anchored (written once to the WORM container, <see cref="CheckpointAnchoring"/>) when
/// <paramref name="anchoring"/> is given; a failed anchor write never fails the checkpoint.
/// </summary>
public sealed class LedgerCheckpointer(ILedger ledger, ISigningKeys keys, TimeProvider time, CheckpointAnchoring? anchoring = null)
{
    public const string SystemActor = "system:checkpoint";

    /// <summary>Signs the head of <paramref name="ledgerId"/>; null when the ledger has no event yet.</summary>
    public async Task<CheckpointRecord?> CheckpointAsync(string ledgerId, string actor, CancellationToken cancellationToken)
    {
        var head = await ledger.GetHeadAsync(ledgerId, cancellationToken);
        return head is null || head.Sequence == 0 ? null : await CheckpointAsync(head, actor, cancellationToken);
    }

    /// <summary>Signs the given head (for example the one an export has just verified) and appends the checkpoint.</summary>
    public async Task<CheckpointRecord> CheckpointAsync(LedgerHead head, string actor, CancellationToken cancellationToken)
    {
        var signedAt = time.GetUtcNow();
        using var key = await keys.GetCurrentAsync(cancellationToken);
        var signature = key.SignBase64(CheckpointStatement.Encode(head.LedgerId, head.Sequence, head.Hash, signedAt));
        var checkpoint = new Checkpoint(head.Sequence, head.Hash, signedAt, key.KeyId, signature);
        var result = await ledger.AppendAsync(head.LedgerId, actor, null, _ => checkpoint, cancellationToken);
        if (anchoring is not null)
        {
            await anchoring.TryAnchorAsync(head.LedgerId, checkpoint, cancellationToken);
        }
        return new CheckpointRecord(head.LedgerId, result!.Sequence, checkpoint);
    }
}

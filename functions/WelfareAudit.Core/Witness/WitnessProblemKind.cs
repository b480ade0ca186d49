namespace WelfareAudit.Core.Witness;

/// <summary>What <c>verify --witness</c> can find (docs/audit.md, "Witness").</summary>
public enum WitnessProblemKind
{
    /// <summary>A WitnessCosigned event by the witness key whose values are malformed or whose signature does not verify.</summary>
    BadCosignature,

    /// <summary>The chain's hash (or Merkle root) at a cosigned sequence is not what the witness cosigned, or fewer events than cosigned precede the cosignature: the history was rewritten.</summary>
    WitnessMismatch,

    /// <summary>A ledger of the bundle carries no cosignature by the witness key.</summary>
    WitnessMissing,
}

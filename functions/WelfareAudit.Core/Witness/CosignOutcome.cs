namespace WelfareAudit.Core.Witness;

/// <summary>
/// The result of <see cref="WitnessCosigner.CosignAsync"/>: the cosignature file and the new state (both only
/// when nothing was refused), the refusals, and the ledgers cosigned before that the bundle does not hold.
/// </summary>
public sealed record CosignOutcome(
    CosignatureFile? File,
    IReadOnlyDictionary<string, WitnessStateEntry> NewState,
    IReadOnlyList<CosignRefusal> Refusals,
    IReadOnlyList<string> MissingOrigins);

using System.Globalization;

namespace WelfareAudit.Core.Audit;

/// <summary>What is wrong with a bundle. The first problem found is reported.</summary>
public enum BundleProblemKind
{
    /// <summary>A line is not what the format says it must be.</summary>
    Malformed,

    /// <summary>The file ends early (cut in a line, or before the end line).</summary>
    Truncated,

    /// <summary>A signature (manifest or checkpoint) does not verify.</summary>
    BadSignature,

    /// <summary>The bundle is signed with another key than the one the verifier was given.</summary>
    WrongKey,

    /// <summary>An event's content does not match its hash, or it does not link to its predecessor.</summary>
    ChainBroken,

    /// <summary>A sequence number is skipped.</summary>
    MissingEvent,

    /// <summary>Events are out of sequence order.</summary>
    ReorderedEvents,

    /// <summary>A ledger's part is not anchored (genesis or a signed head) or stops before its signed head.</summary>
    Gap,

    /// <summary>The manifest and the events disagree (counts, range, ledgers, withheld fields).</summary>
    ManifestMismatch,

    /// <summary>The exporting system marked the bundle as incomplete (the ledger changed during the export).</summary>
    MarkedIncomplete,

    /// <summary>
    /// The bundle breaks the manifest's disclosure promise: a field it declares withheld (or any field of an event
    /// outside the range) is disclosed, or one client is shown under two pseudonyms.
    /// </summary>
    DisclosureBroken,
}

public sealed record BundleProblem(BundleProblemKind Kind, string? LedgerId, long? Sequence, string Detail)
{
    /// <summary>The line of the file (1 is the manifest) where the problem was found, when it is found at one.</summary>
    public long? Line { get; init; }

    public override string ToString() =>
        $"{Kind}{(LedgerId is null ? "" : $" in ledger {LedgerId}")}{(Sequence is null ? "" : $" at sequence {Sequence.Value.ToString(CultureInfo.InvariantCulture)}")}" +
        $"{(Line is null ? "" : $" (line {Line.Value.ToString(CultureInfo.InvariantCulture)})")}: {Detail}";
}

public sealed record BundleLedgerSummary(string LedgerId, long FirstSequence, long LastSequence, string Anchor, long Events, long InRange,
    DateTimeOffset CheckpointSignedAt, string CheckpointKeyId, long CheckpointsInChain);

public sealed record BundleVerification(
    BundleProblem? Problem,
    string? GeneratedBy,
    DateTimeOffset? GeneratedAt,
    string? ManifestKeyId,
    bool KeyPinned,
    long Events,
    IReadOnlyList<BundleLedgerSummary> Ledgers,
    IReadOnlyList<BundleExcludedLedger>? Excluded = null)
{
    public bool Ok => Problem is null;

    /// <summary>Ledgers the signed manifest says the export left out because they failed verification in storage.</summary>
    public IReadOnlyList<BundleExcludedLedger> ExcludedLedgers => Excluded ?? [];
}

/// <summary>A ledger the export left out (manifest <c>excluded</c>): the first problem verification found in storage.</summary>
public sealed record BundleExcludedLedger(string LedgerId, long Sequence, string Kind);

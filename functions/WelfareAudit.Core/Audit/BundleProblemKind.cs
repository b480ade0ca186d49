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

    /// <summary>
    /// A checkpoint, a ledger's signed head or the manifest is signed by a key the ledger's chain never announced with a
    /// <c>KeyRotated</c> event (and that is not the part's first key), or the bundle carries another public key under an
    /// announced id (docs/ledger-format.md §17).
    /// </summary>
    UnannouncedKey,
}

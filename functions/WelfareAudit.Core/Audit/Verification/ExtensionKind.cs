namespace WelfareAudit.Core.Audit.Verification;

/// <summary>How a ledger of a newer export relates to the same ledger in an earlier one (docs/ledger-format.md §16).</summary>
public enum ExtensionKind
{
    /// <summary>The newer export holds the earlier one's signed head unchanged: the same hash at the same sequence.</summary>
    Extends,

    /// <summary>The ledger is only in the newer export (a new therapist): nothing to compare, and nothing wrong.</summary>
    NewLedger,

    /// <summary>The two exports show different hashes at one sequence: the history was rewritten or forked there.</summary>
    Diverges,

    /// <summary>The newer export's signed head is before the earlier one's, and agrees as far as it goes: events were removed from the end.</summary>
    Truncated,

    /// <summary>The newer export starts after the earlier one's head, so it shows nothing to compare (a range export starting too late).</summary>
    Unprovable,

    /// <summary>The ledger is in the earlier export and not in the newer one.</summary>
    Missing,
}

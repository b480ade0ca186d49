namespace WelfareAudit.Core.Ledger;

/// <summary>What kind of break <c>Verify</c> found.</summary>
public enum LedgerProblemKind
{
    /// <summary>A stored row's content no longer matches its hash or its link.</summary>
    ModifiedRow,

    /// <summary>A sequence number has no row: an event was deleted.</summary>
    MissingRow,

    /// <summary>A row holds the event of another position.</summary>
    ReorderedRows,

    /// <summary>A row exists that the ledger never appended (beyond the head).</summary>
    InsertedRow,

    /// <summary>A ciphertext does not belong to its row and field (moved from elsewhere).</summary>
    CiphertextMoved,

    /// <summary>The head row disagrees with the last event.</summary>
    HeadMismatch,

    /// <summary>
    /// The ledger has rows (events, search rows, idempotency or lease rows) but no head row: the head was
    /// deleted. Its ledger is still found and listed, because ledgers are found from any of their rows.
    /// </summary>
    MissingHead,

    /// <summary>A search's projection row disagrees with the state its events fold to (for example, marked discussed without a discussion).</summary>
    ProjectionMismatch,

    /// <summary>
    /// The chain holds another hash at a sequence than an anchored checkpoint (docs/ledger-format.md §14) signed:
    /// history was rewritten after it was anchored. <see cref="LedgerProblem.Anchor"/> names the checkpoint's blob.
    /// </summary>
    Fork,

    /// <summary>The chain is shorter than an anchored checkpoint's sequence: events were removed from its end.</summary>
    Rollback,

    /// <summary>A ledger that has anchored checkpoints has no row left in the table.</summary>
    MissingLedger,
}

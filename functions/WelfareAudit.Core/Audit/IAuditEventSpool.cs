namespace WelfareAudit.Core.Audit;

/// <summary>
/// A format's content for each event, written during the export's verifying pass (each ledger is read once) and sent
/// after the ledgers have verified and been signed. One segment per ledger part, in the order the ledgers are verified.
/// Holds disclosed client data: implementations keep it encrypted (<see cref="EncryptedSpool"/>) and drop it on dispose.
/// </summary>
public interface IAuditEventSpool : IDisposable
{
    /// <summary>Starts the next ledger's segment.</summary>
    void BeginLedger();

    /// <summary>Drops what the current ledger's segment holds: its part starts again at the next event.</summary>
    void RestartLedger();

    /// <summary>Adds the next event of the current ledger (verified, every field opened).</summary>
    ValueTask AddAsync(AuditEventRecord e, CancellationToken cancellationToken);

    /// <summary>Ends the current ledger's segment.</summary>
    SpoolSegment EndLedger();

    /// <summary>Writes one ledger's content to <paramref name="output"/>.</summary>
    Task CopyToAsync(SpoolSegment segment, Stream output, CancellationToken cancellationToken);
}

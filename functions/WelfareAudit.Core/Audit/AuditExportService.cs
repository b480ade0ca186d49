using System.Globalization;
using WelfareAudit.Core.Anchors;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// The audit export use case (Supervisor only). <see cref="PrepareAsync"/> does everything that can fail
/// cleanly before a byte is sent: it checks the role and the request, verifies each ledger in storage
/// (a tampered ledger is refused, never presented as intact) and, in the same pass, finds where each ledger's part
/// starts and spools the format's content (<see cref="IAuditExportFormat.CreateSpool"/>),
/// compares each with its anchored checkpoints, noted in the same pass (a fork, rollback or missing ledger counts as failed verification),
/// and signs a checkpoint over each head. <see cref="WriteAsync"/> then streams the chosen format (one of
/// <see cref="Formats"/>) and appends an <see cref="AuditExported"/> event to every exported ledger: the log of the log.
/// </summary>
public sealed class AuditExportService(
    ILedger ledger,
    LedgerCheckpointer checkpointer,
    ISigningKeys keys,
    AuditExportFormats formats,
    TimeProvider time,
    AnchorAudit? anchorAudit = null)
{
    /// <summary>The formats an export can be written in.</summary>
    public AuditExportFormats Formats => formats;

    public async Task<PublicSigningKey> GetSigningKeyAsync(CancellationToken cancellationToken)
    {
        using var key = await keys.GetCurrentAsync(cancellationToken);
        return new PublicSigningKey(key.KeyId, key.PublicKeyPem);
    }

    public async Task<AuditExport> PrepareAsync(Caller caller, AuditExportRequest request, CancellationToken cancellationToken)
    {
        if (!caller.Is(Role.Supervisor))
        {
            throw new ForbiddenException("The Supervisor role is required to export.");
        }
        var format = formats.Get(request.Format);

        IReadOnlyList<string> ledgers = request.Therapist is { } therapist
            ? [therapist]
            : await ledger.ListLedgersAsync(cancellationToken).ToListAsync(cancellationToken);

        // Every ledger is verified before any is checkpointed: a signature is never put on a broken chain.
        // A ledger asked for by name that fails is refused; among all ledgers, one that fails is left out
        // and named in the export (one broken ledger never hides the others). The verifying pass is the only read
        // of each ledger: it also finds the part (where it starts, its counts and keys) and, when the format
        // spools, writes the part's content, which is sent only after every ledger verified and was signed.
        var spool = format.CreateSpool(request);
        try
        {
            // With anchoring, the anchors are listed first, so that the same pass also notes the hashes they are compared with.
            var everyLedger = request.Therapist is null;
            var anchors = anchorAudit is { IsConfigured: true } ? await anchorAudit.ListAsync(ledgers, everyLedger, cancellationToken) : null;
            var observed = new Dictionary<string, AnchorObservation>(StringComparer.Ordinal);
            var inStorage = new List<LedgerVerification>(ledgers.Count);
            var scans = new Dictionary<string, (LedgerPartScan Scan, SpoolSegment? Segment)>(StringComparer.Ordinal);
            foreach (var id in ledgers)
            {
                var scan = new LedgerPartScan(request, spool);
                var observation = anchors is null ? null : observed[id] = new AnchorObservation(anchors.GetValueOrDefault(id) ?? []);
                var verification = await ledger.VerifyAsync(id, (e, ct) =>
                {
                    observation?.Observe(e);
                    return scan.AddAsync(e, ct);
                }, cancellationToken);
                inStorage.Add(verification);
                scans[id] = (scan, scan.End(verification.Ok));
            }
            var checkedLedgers = anchors is null ? inStorage : await anchorAudit!.CheckAsync(inStorage, everyLedger, anchors, observed, cancellationToken);
            var verified = new List<LedgerVerification>(checkedLedgers.Count);
            var excluded = new List<LedgerFinding>();
            foreach (var verification in checkedLedgers)
            {
                if (verification.Ok && verification.Events == 0 && request.Therapist is not null)
                {
                    // No row at all (a ledger whose head alone was deleted is a finding, not "unknown").
                    throw new NotFoundException("No ledger for this therapist.");
                }
                if (verification.Ok)
                {
                    verified.Add(verification);
                }
                else if (request.Therapist is not null)
                {
                    throw new LedgerTamperedException(verification);
                }
                else
                {
                    excluded.Add(new LedgerFinding(verification.LedgerId, verification.Problem!));
                }
            }

            var parts = new List<LedgerExportPart>(ledgers.Count);
            foreach (var v in verified.Where(v => v.Events > 0))
            {
                var (scan, segment) = scans[v.LedgerId];
                var checkpoint = await checkpointer.CheckpointAsync(new LedgerHead(v.LedgerId, v.Events, v.HeadHash), caller.ObjectId, cancellationToken);
                parts.Add(new LedgerExportPart(v.LedgerId, scan.First, v.Events, scan.Events, scan.InRange, checkpoint, scan.KeyIds) { Spooled = segment });
            }
            return new AuditExport(Guid.NewGuid().ToString("N"), time.GetUtcNow(), caller.ObjectId, request, parts, format, excluded) { Spool = spool };
        }
        catch
        {
            spool?.Dispose();
            throw;
        }
    }

    /// <summary>Streams the export in its format, then records it in every exported ledger.</summary>
    public async Task WriteAsync(AuditExport export, Stream output, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, long> written = new Dictionary<string, long>();
        try
        {
            written = await export.Format.WriteAsync(export, output, cancellationToken);
        }
        finally
        {
            export.Spool?.Dispose();

            // Recorded even when the download was cut off: an attempt to take data out is itself an event.
            foreach (var part in export.Ledgers)
            {
                var evt = new AuditExported(export.GeneratedBy, export.Request.From, export.Request.Until, export.Request.Format,
                    written.GetValueOrDefault(part.LedgerId), part.Checkpoint.Sequence);
                await ledger.AppendAsync(part.LedgerId, export.GeneratedBy, null, _ => evt, CancellationToken.None);
            }
        }
    }

    /// <summary>A checkpoint that signs exactly the head before it: the chain from it on needs nothing earlier.</summary>
    public static bool IsAnchor(AuditEventRecord e) =>
        e.Header.Type == EventTypes.Checkpoint &&
        e.Clear.TryGetValue("upToSequence", out var upTo) &&
        long.TryParse(upTo, NumberStyles.None, CultureInfo.InvariantCulture, out var u) && u == e.Header.Sequence - 1 &&
        e.Clear.GetValueOrDefault("headHash") == e.PrevHash;
}

using System.Globalization;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// Records a witness's cosignatures (<c>POST /api/ledger/cosignatures</c>, docs/api.md): every cosignature is
/// checked before anything is written (the file's shape, then each cosignature/v1 signature by the key the
/// file names, then each ledger: it verifies in storage, holds at least the cosigned number of events, and at
/// that sequence has the cosigned hash and, over events 1..size, the cosigned RFC 6962 root). Then each
/// ledger gets one <see cref="WitnessCosigned"/> event, appended atomically; a cosignature the ledger already
/// records (same witness, same signature) is not appended twice, and an Idempotency-Key replays the first
/// answer. The key in the file is not trusted for anything but checking its own signatures: the board pins
/// it when it verifies (<c>verify --witness</c>).
/// </summary>
public sealed class CosignatureRecorder(ILedger ledger, IAuditLedgerReader reader)
{
    public async Task<IReadOnlyList<RecordedCosignature>> RecordAsync(Caller caller, CosignatureFile? file,
        Func<string, IdempotencyClaim?> idempotency, CancellationToken cancellationToken)
    {
        var (witness, entries) = Validate(file);
        var events = new List<(CosignatureEntry Entry, WitnessCosigned Event, RecordedCosignature? Existing)>();
        foreach (var entry in entries)
        {
            var existing = await CheckAgainstLedgerAsync(entry, witness, cancellationToken);
            events.Add((entry, WitnessCosignatures.ToEvent(witness, entry), existing));
        }

        // Integration point for WORM anchoring (issue 13 §1): once an anchor writer exists, each appended
        // WitnessCosigned event is anchored here like a checkpoint.
        var recorded = new List<RecordedCosignature>();
        foreach (var (entry, evt, existing) in events)
        {
            if (existing is not null)
            {
                recorded.Add(existing);
                continue;
            }
            var result = await ledger.AppendAsync(entry.LedgerId!, caller.ObjectId, null, _ => evt, idempotency(entry.LedgerId!), cancellationToken);
            recorded.Add(new RecordedCosignature(entry.LedgerId!, evt.TreeSize, result!.Sequence, result.Hash, result.RecordedAt, result.Replayed));
        }
        return recorded;
    }

    private static (NoteVerifierKey Witness, IReadOnlyList<CosignatureEntry> Entries) Validate(CosignatureFile? file)
    {
        var errors = new ValidationErrors();
        if (file is null)
        {
            throw ValidationFailedException.For("$", "must be a cosignature file");
        }
        if (file.Format != CosignatureFile.FormatName)
        {
            errors.Add("format", $"must be \"{CosignatureFile.FormatName}\"");
        }
        if (file.Version != CosignatureFile.CurrentVersion)
        {
            errors.Add("version", $"must be {CosignatureFile.CurrentVersion}");
        }
        var witness = file.Witness is null ? null : NoteVerifierKey.TryParse(file.Witness, out _);
        if (witness is not { Type: NoteVerifierKey.CosignatureV1Type })
        {
            errors.Add("witness", "must be the witness's verifier key (name+key ID+base64 of 04 and the Ed25519 key), as witness init writes it");
        }
        if (file.Cosignatures is not { Count: > 0 and <= CosignatureFile.MaxCosignatures })
        {
            errors.Add("cosignatures", $"must list 1 to {CosignatureFile.MaxCosignatures} cosignatures");
        }
        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < file.Cosignatures!.Count; i++)
        {
            var at = $"cosignatures[{i.ToString(CultureInfo.InvariantCulture)}]";
            var entry = file.Cosignatures[i];
            if (entry is null || !LedgerIds.IsValid(entry.LedgerId))
            {
                errors.Add($"{at}.ledgerId", "must be a ledger id");
                continue;
            }
            if (!seen.Add(entry.LedgerId!))
            {
                errors.Add($"{at}.ledgerId", "names a ledger an earlier cosignature of the file names: one cosignature per ledger");
                continue;
            }
            var verdict = WitnessCosignatures.Check(witness!, entry.LedgerId!, entry.Origin, entry.TreeSize, entry.RootHash, entry.HeadHash, entry.Signature);
            if (!verdict.Ok)
            {
                errors.Add($"{at}.{verdict.Field}", verdict.Error!);
            }
        }
        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }
        return (witness!, file.Cosignatures);
    }

    /// <summary>The cosigned head against the ledger in storage; the existing record when the ledger already holds this cosignature.</summary>
    private async Task<RecordedCosignature?> CheckAgainstLedgerAsync(CosignatureEntry entry, NoteVerifierKey witness, CancellationToken ct)
    {
        var ledgerId = entry.LedgerId!;
        var size = entry.TreeSize!.Value;
        var at = $"ledger {ledgerId}, sequence {size.ToString(CultureInfo.InvariantCulture)}";
        if (await ledger.GetHeadAsync(ledgerId, ct) is null)
        {
            throw new NotFoundException($"No such ledger: the cosignature for {at} names a ledger with no events.");
        }
        var verification = await ledger.VerifyAsync(ledgerId, ct);
        if (!verification.Ok)
        {
            throw new LedgerTamperedException(verification);
        }
        if (verification.Events < size)
        {
            throw new ConflictException($"The cosignature for {at} cosigns more events than the ledger holds ({verification.Events.ToString(CultureInfo.InvariantCulture)}): it is not this ledger's history.");
        }
        var tree = new MerkleTreeBuilder();
        string? hashThere = null;
        RecordedCosignature? existing = null;
        var witnessText = witness.ToText();
        await foreach (var e in reader.ReadAsync(ledgerId, 1, verification.Events, _ => false, ct))
        {
            if (e.Header.Sequence <= size)
            {
                tree.Append(Convert.FromHexString(e.Hash));
                hashThere = e.Hash;
            }
            else if (e.Header.Type == EventTypes.WitnessCosigned && e.Clear.GetValueOrDefault("witness") == witnessText
                && e.Clear.GetValueOrDefault("signature") == entry.Signature && e.Clear.GetValueOrDefault("treeSize") == size.ToString(CultureInfo.InvariantCulture))
            {
                existing = new RecordedCosignature(ledgerId, size, e.Header.Sequence, e.Hash, e.Header.RecordedAt, Replayed: true);
            }
        }
        if (hashThere != entry.HeadHash)
        {
            throw new ConflictException($"The cosignature for {at} cosigns another head hash than the ledger has there: the witness saw another history.");
        }
        if (Convert.ToBase64String(tree.Root()) != entry.RootHash)
        {
            throw new ConflictException($"The cosignature for {at} cosigns another Merkle root than events 1..{size.ToString(CultureInfo.InvariantCulture)} of the ledger give.");
        }
        return existing;
    }
}

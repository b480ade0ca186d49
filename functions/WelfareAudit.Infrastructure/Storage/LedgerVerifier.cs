using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// Walks a ledger's rows in order and names the first break: a missing row, a row holding another
/// position's event, a row whose content or link no longer matches the chain, a ciphertext that does not
/// authenticate for its row and field, a head that disagrees with the events, or rows beyond the head.
/// Streams the rows: memory does not grow with the ledger.
/// </summary>
internal sealed class LedgerVerifier(TableLedger ledger, EventSealer sealer)
{
    public async Task<LedgerVerification> VerifyAsync(string ledgerId, CancellationToken cancellationToken)
    {
        var expected = 1L;
        var previous = ChainHash.ToHex(ChainHash.Genesis);

        LedgerVerification Fail(long sequence, LedgerProblemKind kind, string detail) =>
            new(ledgerId, expected - 1, previous, new LedgerProblem(sequence, kind, detail));

        await foreach (var row in ledger.ReadSealedAsync(ledgerId, 1, null, cancellationToken))
        {
            if (!RowKeys.TryParseEvent(row.RowKey, out var rowSequence))
            {
                return Fail(expected, LedgerProblemKind.InsertedRow, "A row with a malformed key sits among the events.");
            }
            if (rowSequence > expected)
            {
                return Fail(expected, LedgerProblemKind.MissingRow, $"There is no event at sequence {expected}; the next row is {rowSequence}.");
            }
            var stored = EventRow.StoredSequence(row);
            if (stored != rowSequence)
            {
                return Fail(rowSequence, LedgerProblemKind.ReorderedRows, $"Row {rowSequence} holds the event of sequence {stored?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}.");
            }

            SealedEvent sealedEvent;
            try
            {
                sealedEvent = EventRow.FromEntity(row);
            }
            catch (FormatException)
            {
                return Fail(rowSequence, LedgerProblemKind.ModifiedRow, "The row is not a well-formed event.");
            }
            if (!string.Equals(sealedEvent.PrevHash, previous, StringComparison.Ordinal))
            {
                return Fail(rowSequence, LedgerProblemKind.ModifiedRow, "The event does not link to the previous event's hash.");
            }
            if (!string.Equals(EventSealer.ComputeHash(sealedEvent), sealedEvent.Hash, StringComparison.Ordinal))
            {
                return Fail(rowSequence, LedgerProblemKind.ModifiedRow, "The event's content does not match its hash.");
            }

            try
            {
                await sealer.OpenAsync(sealedEvent, cancellationToken);
            }
            catch (EnvelopeException)
            {
                var origin = await FindCiphertextOriginAsync(ledgerId, sealedEvent, cancellationToken);
                return origin is null
                    ? Fail(rowSequence, LedgerProblemKind.ModifiedRow, "A ciphertext of the event was altered.")
                    : Fail(rowSequence, LedgerProblemKind.CiphertextMoved, $"Field '{origin.Value.Field}' holds a ciphertext that belongs to sequence {origin.Value.Sequence}.");
            }
            catch (CommitmentMismatchException e)
            {
                return Fail(rowSequence, LedgerProblemKind.ModifiedRow, e.Message);
            }

            previous = sealedEvent.Hash;
            expected++;
        }

        var last = expected - 1;
        var head = await ledger.GetHeadAsync(ledgerId, cancellationToken);
        if (head is null)
        {
            return last == 0
                ? new LedgerVerification(ledgerId, 0, previous, null)
                : Fail(1, LedgerProblemKind.InsertedRow, "Events exist but the ledger has no head: they were not appended by the ledger.");
        }
        if (head.Sequence > last)
        {
            return Fail(last + 1, LedgerProblemKind.MissingRow, $"The head is at sequence {head.Sequence} but the events end at {last}.");
        }
        if (head.Sequence < last)
        {
            return Fail(head.Sequence + 1, LedgerProblemKind.InsertedRow, $"Events continue past the head (sequence {head.Sequence}) to {last}.");
        }
        if (!string.Equals(head.Hash, previous, StringComparison.Ordinal))
        {
            return Fail(head.Sequence, LedgerProblemKind.HeadMismatch, "The head's hash differs from the last event's hash.");
        }
        return new LedgerVerification(ledgerId, last, previous, null);
    }

    /// <summary>Only after a failure: is one of the event's ciphertexts a copy of another row's?</summary>
    private async Task<(long Sequence, string Field)?> FindCiphertextOriginAsync(string ledgerId, SealedEvent broken, CancellationToken ct)
    {
        // Swapped between fields of this row: it authenticates as one of the row's other fields.
        foreach (var (field, envelope) in broken.Ciphertexts)
        {
            foreach (var other in broken.Ciphertexts.Keys.Where(k => k != field))
            {
                if (await sealer.AuthenticatesAsAsync(envelope, ledgerId, broken.Header.Sequence, other, ct))
                {
                    return (broken.Header.Sequence, field);
                }
            }
        }

        // Copied from another row: the same bytes stand there.
        await foreach (var row in ledger.ReadSealedAsync(ledgerId, 1, null, ct))
        {
            if (!RowKeys.TryParseEvent(row.RowKey, out var sequence))
            {
                continue;
            }
            foreach (var (key, value) in row)
            {
                if (!key.StartsWith(EventRow.CipherPrefix, StringComparison.Ordinal) || value is not byte[] bytes)
                {
                    continue;
                }
                foreach (var (field, envelope) in broken.Ciphertexts)
                {
                    var sameSlot = sequence == broken.Header.Sequence && key == EventRow.CipherPrefix + field;
                    if (!sameSlot && bytes.AsSpan().SequenceEqual(envelope))
                    {
                        return (sequence, field);
                    }
                }
            }
        }
        return null;
    }
}

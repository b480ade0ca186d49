using System.Globalization;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// Walks a ledger's rows in order and names the first break: a missing row, a row holding another
/// position's event, a row whose content or link no longer matches the chain, a ciphertext that does not
/// authenticate for its row and field, a head that disagrees with the events, rows beyond the head, or a
/// projection row that disagrees with its events. Streams the events, and hands each one that checked to the
/// caller (an export writes it in the same pass); what it keeps in memory is a small entry per search row and the
/// state of the searches still open (<see cref="SearchRowCheck"/>).
/// </summary>
internal sealed class LedgerVerifier(TableLedger ledger, EventSealer sealer)
{
    public async Task<LedgerVerification> VerifyAsync(string ledgerId, Func<AuditEventRecord, CancellationToken, ValueTask>? verified, CancellationToken cancellationToken)
    {
        // The head is read BEFORE the search rows and the events: anything found beyond it may be a concurrent,
        // legitimate append, which is settled by reading the head again at the end.
        var headBefore = await ledger.GetHeadAsync(ledgerId, cancellationToken);
        var expected = 1L;
        var previous = ChainHash.ToHex(ChainHash.Genesis);
        string? hashAtHeadBefore = null;
        var searches = new SearchRowCheck(headBefore?.Sequence ?? 0);
        LedgerProblem? unreadableRow = null;
        await foreach (var stored in ListSearchesOrProblemAsync(ledgerId, cancellationToken))
        {
            if (stored.Problem is { } unreadable)
            {
                unreadableRow = unreadable;
                break;
            }
            searches.AddStoredRow(stored.Projection!, stored.Copies);
        }

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

            long? stored;
            SealedEvent sealedEvent;
            try
            {
                stored = EventRow.StoredSequence(row);
                if (stored != rowSequence)
                {
                    return Fail(rowSequence, LedgerProblemKind.ReorderedRows, $"Row {rowSequence} holds the event of sequence {stored?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}.");
                }
                sealedEvent = EventRow.FromEntity(row);
                if (!string.Equals(sealedEvent.PrevHash, previous, StringComparison.Ordinal))
                {
                    return Fail(rowSequence, LedgerProblemKind.ModifiedRow, "The event does not link to the previous event's hash.");
                }
                if (!string.Equals(EventSealer.ComputeHash(sealedEvent), sealedEvent.Hash, StringComparison.Ordinal))
                {
                    return Fail(rowSequence, LedgerProblemKind.ModifiedRow, "The event's content does not match its hash.");
                }
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or InvalidOperationException or ArgumentException or OverflowException)
            {
                // A property of the wrong type or size is a modification, not a crash of the verifier.
                return Fail(rowSequence, LedgerProblemKind.ModifiedRow, "The row is not a well-formed event.");
            }

            IReadOnlyDictionary<string, DisclosedField> opened;
            try
            {
                opened = await sealer.OpenAsync(sealedEvent, cancellationToken);
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
            catch (UnknownKeyIdException)
            {
                // The key ring answered and holds no such key: the id bytes were altered (an unreachable
                // key store is KeyUnavailableException instead, which propagates and is answered 503).
                return Fail(rowSequence, LedgerProblemKind.ModifiedRow, "A ciphertext names a data key the key ring does not hold: its key id was altered.");
            }

            if (LedgerEventCodec.SearchIdOf(sealedEvent.Clear) is { } searchId)
            {
                try
                {
                    var evt = LedgerEventCodec.Decode(sealedEvent.Header.Type, sealedEvent.Clear, opened.ToDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal));
                    searches.Fold(searchId, sealedEvent.Header, evt, evt is SearchLogged ? ListingColumns.Digest(sealedEvent) : null);
                }
                catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException or System.Text.Json.JsonException)
                {
                    return Fail(rowSequence, LedgerProblemKind.ModifiedRow, "The event cannot be read as its type, or does not fit its search's history.");
                }
            }

            if (verified is not null)
            {
                var openings = opened.ToDictionary(p => p.Key, p => new FieldOpening(p.Value.Value, p.Value.Salt), StringComparer.Ordinal);
                await verified(new AuditEventRecord(sealedEvent.Header, sealedEvent.Clear, sealedEvent.Commitments, openings, sealedEvent.PrevHash, sealedEvent.Hash), cancellationToken);
            }

            previous = sealedEvent.Hash;
            if (headBefore is not null && rowSequence == headBefore.Sequence)
            {
                hashAtHeadBefore = previous;
            }
            expected++;
        }

        var last = expected - 1;
        var headProblem = await CheckHeadAsync(ledgerId, headBefore, hashAtHeadBefore, last, previous, cancellationToken);
        if (headProblem is not null)
        {
            return Fail(headProblem.Sequence, headProblem.Kind, headProblem.Detail);
        }

        if ((unreadableRow ?? searches.Finish(last)) is { } projectionProblem)
        {
            return Fail(projectionProblem.Sequence, projectionProblem.Kind, projectionProblem.Detail);
        }
        return new LedgerVerification(ledgerId, last, previous, null);
    }

    private async Task<LedgerProblem?> CheckHeadAsync(string ledgerId, LedgerHead? headBefore, string? hashAtHeadBefore, long last, string lastHash, CancellationToken ct)
    {
        if (headBefore is not null)
        {
            if (headBefore.Sequence > last)
            {
                return new LedgerProblem(last + 1, LedgerProblemKind.MissingRow, $"The head is at sequence {headBefore.Sequence} but the events end at {last}.");
            }
            if (!string.Equals(headBefore.Hash, hashAtHeadBefore, StringComparison.Ordinal))
            {
                return new LedgerProblem(headBefore.Sequence, LedgerProblemKind.HeadMismatch, "The head's hash differs from the hash of the event it points at.");
            }
            if (headBefore.Sequence == last)
            {
                return null;
            }
        }
        else if (last == 0)
        {
            // No head and no event: a ledger never appended to has no row at all; any row left (search,
            // idempotency, lease) means its events and head were deleted.
            // (A first append committing during the scan leaves a head behind: read it again before concluding.)
            return await ledger.HasRowsAsync(ledgerId, ct) && await ledger.GetHeadAsync(ledgerId, ct) is null
                ? new LedgerProblem(1, LedgerProblemKind.MissingHead, "The ledger has rows but neither a head nor events: they were deleted.")
                : null;
        }

        // Events beyond the head read at the start: appended since, or slipped in past the head.
        var headAfter = await ledger.GetHeadAsync(ledgerId, ct);
        if (headAfter is null)
        {
            return new LedgerProblem(1, LedgerProblemKind.MissingHead, "Events exist but the ledger has no head row: it was deleted.");
        }
        if (headAfter.Sequence < last)
        {
            return new LedgerProblem(headAfter.Sequence + 1, LedgerProblemKind.InsertedRow, $"Events continue past the head (sequence {headAfter.Sequence}) to {last}.");
        }
        if (headAfter.Sequence == last && !string.Equals(headAfter.Hash, lastHash, StringComparison.Ordinal))
        {
            return new LedgerProblem(last, LedgerProblemKind.HeadMismatch, "The head's hash differs from the last event's hash.");
        }
        return null;
    }

    /// <summary>The stored search rows; a row that cannot be read ends the list as a problem instead of an exception.</summary>
    private async IAsyncEnumerable<(SearchProjection? Projection, UInt128? Copies, LedgerProblem? Problem)> ListSearchesOrProblemAsync(string ledgerId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var rows = ledger.ListSearchRowsAsync(ledgerId, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            LedgerProblem? problem = null;
            try
            {
                if (!await rows.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (LedgerIntegrityException e)
            {
                problem = e.Problem;
            }
            if (problem is not null)
            {
                yield return (null, null, problem);
                yield break;
            }
            yield return (rows.Current.Projection, rows.Current.Copies, null);
        }
    }

    /// <summary>Only after a failure: is one of the event's ciphertexts a copy of another row's or field's?</summary>
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
            if (!RowKeys.TryParseEvent(row.RowKey, out var sequence) || sequence == broken.Header.Sequence)
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
                    if (bytes.AsSpan().SequenceEqual(envelope))
                    {
                        return (sequence, field);
                    }
                }
            }
        }
        return null;
    }
}

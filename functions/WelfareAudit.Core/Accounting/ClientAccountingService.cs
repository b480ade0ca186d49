using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Accounting;

/// <summary>
/// The accounting for a client (HIPAA 45 CFR 164.528, GDPR Art. 15): every search about one client in the ledgers the
/// caller may read (a therapist: their own; a supervisor: every ledger). The client's searches are found by the blind
/// index, recomputed from the requested code under each index key the ledgers use, against the clear fields of the
/// chain: nothing is decrypted to find them, and only the client's own events are decrypted to tell them. The same pass
/// recomputes each chain from the genesis to its head, so an accounting is never built from a ledger whose chain is
/// broken. Providing it appends a <see cref="ClientAccountingProvided"/> event to every ledger it covered.
/// </summary>
public sealed class ClientAccountingService(
    ILedger ledger,
    IAuditLedgerReader reader,
    IClientIndexer indexer,
    LedgerCheckpointer checkpointer,
    AuditExportFormats formats,
    TimeProvider time)
{
    public async Task<ClientAccounting> PrepareAsync(Caller caller, ClientAccountingRequest request, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> ledgers;
        if (caller.Is(Role.Supervisor))
        {
            ledgers = await ledger.ListLedgersAsync(cancellationToken).ToListAsync(cancellationToken);
        }
        else if (caller.Is(Role.Therapist))
        {
            ledgers = [caller.ObjectId];
        }
        else
        {
            throw new ForbiddenException("The Therapist or Supervisor role is required.");
        }

        var current = await indexer.IndexAsync(request.ClientRef, cancellationToken);
        var indexes = new ClientIndexes(indexer, request.ClientRef, current);
        var covered = new List<AccountingLedger>(ledgers.Count);
        var searches = new List<AccountedSearch>();
        var earlier = new List<EarlierAccounting>();
        foreach (var id in ledgers)
        {
            var part = await ScanAsync(id, indexes, cancellationToken);
            covered.Add(part);
            if (part.ClientSequences.Count > 0)
            {
                await ReadClientEventsAsync(part, searches, earlier, cancellationToken);
            }
        }
        return new ClientAccounting(Guid.NewGuid().ToString("N"), time.GetUtcNow(), caller, request, current, indexes.All, covered,
            [.. searches.OrderBy(s => s.Entry.OccurredAt).ThenBy(s => s.LoggedAt)], [.. earlier.OrderBy(a => a.ProvidedAt)]);
    }

    /// <summary>
    /// Writes the bundle that discloses the client's events only: each covered ledger from the genesis to the head the
    /// scan checked, signed by a checkpoint over that head. The accounting is recorded afterwards, also when the
    /// download was cut off (an attempt to take data out is itself an event).
    /// </summary>
    public async Task WriteBundleAsync(ClientAccounting accounting, IdempotencyClaim? idempotency, Stream output, CancellationToken cancellationToken)
    {
        try
        {
            var parts = new List<LedgerExportPart>();
            foreach (var l in accounting.Ledgers.Where(l => l.Head is not null))
            {
                var checkpoint = await checkpointer.CheckpointAsync(l.Head!, accounting.RequestedBy.ObjectId, cancellationToken);
                parts.Add(new LedgerExportPart(l.LedgerId, 1, l.Head!.Sequence, l.Head.Sequence, l.Head.Sequence, checkpoint, l.CheckpointKeyIds));
            }
            var disclosure = new ClientDisclosure(accounting.ClientIndexes, accounting.Ledgers.ToDictionary(l => l.LedgerId, l => l.ClientSequences, StringComparer.Ordinal));
            var export = new AuditExport(accounting.AccountingId, accounting.GeneratedAt, accounting.RequestedBy.ObjectId,
                new AuditExportRequest(null, null, null, AuditFormat.Bundle, false), parts, formats.Get(AuditFormat.Bundle), null, disclosure);
            await export.Format.WriteAsync(export, output, cancellationToken);
        }
        finally
        {
            await RecordAsync(accounting, idempotency, CancellationToken.None);
        }
    }

    /// <summary>
    /// Appends <see cref="ClientAccountingProvided"/> to every ledger the accounting covered (the client's blind index
    /// under the current key, never the code). With an idempotency claim a retried request appends nothing new; the
    /// result says whether every append was such a replay.
    /// </summary>
    public async Task<bool> RecordAsync(ClientAccounting accounting, IdempotencyClaim? idempotency, CancellationToken cancellationToken)
    {
        var replayed = accounting.Ledgers.Count > 0;
        foreach (var l in accounting.Ledgers)
        {
            var count = accounting.Searches.Count(s => s.Therapist == l.LedgerId);
            var evt = new ClientAccountingProvided(accounting.RequestedBy.ObjectId, accounting.ClientIndex, accounting.Request.Format, count, l.Head?.Sequence ?? 0);
            var result = await ledger.AppendAsync(l.LedgerId, accounting.RequestedBy.ObjectId, null, _ => evt, idempotency, cancellationToken);
            replayed &= result?.Replayed == true;
        }
        return replayed;
    }

    /// <summary>
    /// One pass over the ledger's clear rows, nothing decrypted: recomputes the chain from the genesis to the head, and
    /// picks the client's events (searches whose blind index is the client's, their later events, earlier accountings).
    /// </summary>
    private async Task<AccountingLedger> ScanAsync(string ledgerId, ClientIndexes indexes, CancellationToken ct)
    {
        var head = await ledger.GetHeadAsync(ledgerId, ct);
        if (head is null || head.Sequence == 0)
        {
            return new AccountingLedger(ledgerId, null, new HashSet<long>(), 0, []);
        }
        var sequences = new HashSet<long>();
        var clientSearches = new HashSet<string>(StringComparer.Ordinal);
        var keyIds = new HashSet<string>(StringComparer.Ordinal);
        var previous = ChainHash.ToHex(ChainHash.Genesis);
        long expected = 1;
        await foreach (var e in reader.ReadAsync(ledgerId, 1, head.Sequence, _ => false, ct))
        {
            var problem = e.BreakAt(expected, previous) switch
            {
                ChainBreak.Missing => new LedgerProblem(expected, LedgerProblemKind.MissingRow, "An event is missing."),
                ChainBreak.Unlinked => new LedgerProblem(expected, LedgerProblemKind.ModifiedRow, "The event does not link to its predecessor."),
                ChainBreak.HashMismatch => new LedgerProblem(expected, LedgerProblemKind.ModifiedRow, "The event does not match its hash."),
                _ => null,
            };
            if (problem is not null)
            {
                throw new LedgerTamperedException(new LedgerVerification(ledgerId, expected - 1, previous, problem));
            }
            var searchId = e.Clear.GetValueOrDefault("searchId");
            var clientIndex = e.Clear.GetValueOrDefault("clientIndex");
            var isClients = e.Header.Type switch
            {
                EventTypes.SearchLogged or EventTypes.ClientAccountingProvided => clientIndex is not null && await indexes.IsClientsAsync(clientIndex, ct),
                _ => searchId is not null && clientSearches.Contains(searchId),
            };
            if (isClients)
            {
                sequences.Add(e.Header.Sequence);
                if (e.Header.Type == EventTypes.SearchLogged && searchId is not null)
                {
                    clientSearches.Add(searchId);
                }
            }
            if (e.Header.Type == EventTypes.Checkpoint && e.Clear.TryGetValue("signingKeyId", out var keyId))
            {
                keyIds.Add(keyId);
            }
            previous = e.Hash;
            expected++;
        }
        if (expected != head.Sequence + 1 || previous != head.Hash)
        {
            throw new LedgerTamperedException(new LedgerVerification(ledgerId, expected - 1, previous,
                new LedgerProblem(Math.Min(expected, head.Sequence), expected <= head.Sequence ? LedgerProblemKind.MissingRow : LedgerProblemKind.HeadMismatch, "The events do not end at the head.")));
        }
        return new AccountingLedger(ledgerId, head, sequences, clientSearches.Count, [.. keyIds.Order(StringComparer.Ordinal)]);
    }

    /// <summary>Decrypts the client's events only (by sequence) and folds them into searches and earlier accountings.</summary>
    private async Task ReadClientEventsAsync(AccountingLedger part, List<AccountedSearch> searches, List<EarlierAccounting> earlier, CancellationToken ct)
    {
        var bySearch = new Dictionary<Guid, SearchFold>();
        await foreach (var e in reader.ReadAsync(part.LedgerId, part.ClientSequences.Min(), part.ClientSequences.Max(), h => part.ClientSequences.Contains(h.Sequence), ct))
        {
            if (!part.ClientSequences.Contains(e.Header.Sequence))
            {
                continue;
            }
            // An event without sensitive fields (ClientAccountingProvided, ReminderSent) has nothing to open.
            var sensitive = e.Opened?.ToDictionary(o => o.Key, o => o.Value.Value, StringComparer.Ordinal) ?? [];
            var evt = LedgerEventCodec.Decode(e.Header.Type, e.Clear, sensitive);
            switch (evt)
            {
                case SearchLogged l:
                    bySearch[l.Id] = new SearchFold(l, e.Header.RecordedAt);
                    break;
                case ClientAccountingProvided a:
                    earlier.Add(new EarlierAccounting(part.LedgerId, e.Header.RecordedAt, a.RequestedBy, a.Format, a.Count));
                    break;
                default:
                    if (evt.SearchId is { } id && bySearch.TryGetValue(id, out var fold))
                    {
                        fold.Apply(evt, e.Header.RecordedAt);
                    }
                    break;
            }
        }
        searches.AddRange(bySearch.Values.Select(f => f.ToAccounted(part.LedgerId)));
    }

    /// <summary>A search's events folded as the accounting tells them.</summary>
    private sealed class SearchFold(SearchLogged logged, DateTimeOffset loggedAt)
    {
        private readonly List<AmendmentView> _amendments = [];
        private DateTimeOffset? _nextSession = logged.Entry.NextSessionAt;
        private DiscussionView? _discussion;
        private int _reminders, _reviews;

        public void Apply(LedgerEvent evt, DateTimeOffset recordedAt)
        {
            switch (evt)
            {
                case NextSessionSet n:
                    _nextSession = n.NextSessionAt;
                    break;
                case DiscussedWithClient d:
                    _discussion = new DiscussionView(d.DiscussedAt, d.Note, d.ClientResponse);
                    break;
                case EntryAmended a:
                    _amendments.Add(new AmendmentView(a.Field, a.Value, a.Reason, a.ClosesSearch, recordedAt));
                    break;
                case ReminderSent:
                    _reminders++;
                    break;
                case SupervisorReviewed:
                    _reviews++;
                    break;
            }
        }

        public AccountedSearch ToAccounted(string ledgerId) =>
            new(ledgerId, logged.Id, loggedAt, logged.Entry, _nextSession, _discussion, _amendments, _reminders, _reviews);
    }

    /// <summary>The client's blind index under each index key met in the ledgers, computed once per key.</summary>
    private sealed class ClientIndexes(IClientIndexer indexer, string clientRef, string current)
    {
        private readonly Dictionary<string, string?> _byKey = new(StringComparer.Ordinal) { [KeyOf(current)] = current };

        public IReadOnlyList<string> All => [.. _byKey.Values.OfType<string>().Order(StringComparer.Ordinal)];

        public async Task<bool> IsClientsAsync(string clientIndex, CancellationToken ct)
        {
            var key = KeyOf(clientIndex);
            if (!_byKey.TryGetValue(key, out var index))
            {
                _byKey[key] = index = await indexer.IndexUnderAsync(clientRef, key, ct);
            }
            return index == clientIndex;
        }

        private static string KeyOf(string index) => index.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? index[..colon] : index;
    }
}

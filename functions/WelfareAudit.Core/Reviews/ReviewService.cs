using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Reminders;
using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Core.Reviews;

/// <summary>
/// The supervisor's side: the review of every search (appended as <c>SupervisorReviewed</c> to the therapist's
/// ledger, the reviewer recorded), the review queue and the oversight figures. Only a supervisor acts here, and
/// never on a search in their own ledger (a user holding both roles cannot review themselves).
/// </summary>
public sealed class ReviewService(ILedger ledger, AuditSearchRows rows, AuditReportOptions options, IClientIndexer indexer, TimeProvider time)
{
    public const int MaxNoteLength = CrisisSearchService.MaxNoteLength;

    /// <summary>The oversight window of the rarity figures and the escalations: the last 365 days.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(365);

    /// <summary>Rows per storage request when the queue reads a ledger's search rows (the storage maximum: it reads them all).</summary>
    private const int ListingPageHint = 1000;

    public async Task<ReviewRecorded> ReviewAsync(Caller caller, Guid searchId, ReviewDraft? draft, IdempotencyClaim? idempotency, CancellationToken cancellationToken)
    {
        RequireSupervisor(caller);
        if (draft is null)
        {
            throw ValidationFailedException.For("$", "a JSON object is required");
        }
        var errors = new ValidationErrors();
        if (draft.Outcome is null)
        {
            errors.Add("outcome", "is required");
        }
        else if (!ReviewOutcomes.IsValid(draft.Outcome))
        {
            errors.Add("outcome", "must be one of: " + string.Join(", ", ReviewOutcomes.All));
        }
        var note = TextRules.Check(errors, "note", draft.Note, MaxNoteLength, required: false, multiline: true);
        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }

        var found = await ledger.FindSearchAsync(searchId, cancellationToken) ?? throw new NotFoundException("No such search.");
        if (found.LedgerId == caller.ObjectId)
        {
            throw new ForbiddenException("A supervisor cannot review a search of their own ledger.");
        }
        var result = await ledger.AppendAsync(found.LedgerId, caller.ObjectId, searchId, current =>
        {
            var p = current ?? throw new NotFoundException("No such search.");
            return p.Reviewed
                ? throw new ConflictException("This search is already reviewed.")
                : new SupervisorReviewed(searchId, caller.ObjectId, draft.Outcome!, note);
        }, idempotency, cancellationToken);
        return new ReviewRecorded(searchId, draft.Outcome!, caller.ObjectId, result!);
    }

    /// <summary>
    /// Searches with no <c>SupervisorReviewed</c>, oldest first (loggedAt, then id), filtered, one page. Each ledger is one
    /// query of its search rows, which carry the risk level (<see cref="ILedger.ListSearchPageAsync"/>): no event is read.
    /// </summary>
    public async Task<ReviewPage> QueueAsync(Caller caller, ReviewQuery query, CancellationToken cancellationToken)
    {
        RequireSupervisor(caller);
        var now = time.GetUtcNow();
        var candidates = new List<ListedSearch>();
        var unreadable = new List<LedgerFinding>();
        foreach (var ledgerId in await LedgersAsync(query.Therapist, cancellationToken))
        {
            try
            {
                await foreach (var row in ledger.ListSearchPageAsync(ledgerId, null, null, ListingPageHint, cancellationToken))
                {
                    if (row.Unreadable is { } finding)
                    {
                        unreadable.Add(finding);
                    }
                    else if (row.Search is { Projection: var p } s && !p.Reviewed && query.IsAfter(p) &&
                        (query.Overdue is not { } late || rows.IsOverdue(p, now) == late) && (query.Risk is null || s.Risk == query.Risk))
                    {
                        candidates.Add(s);
                    }
                }
            }
            catch (LedgerIntegrityException e)
            {
                unreadable.Add(new LedgerFinding(e.LedgerId, e.Problem));
            }
        }
        candidates.Sort((a, b) => QueueOrder(a.Projection, b.Projection));

        var items = candidates.Take(query.PageSize).Select(s =>
        {
            var p = s.Projection;
            return new ReviewQueueItem(p.SearchId, SearchStatusText.Reference(p.SearchId), p.LedgerId, p.OccurredAt, p.LoggedAt,
                EnumText.ToText(s.Risk), SearchStatusText.Of(p.State), p.NextSessionAt, p.DiscussedAt, rows.IsOverdue(p, now),
                p.RemindersSent.Count, Escalated(p));
        }).ToList();
        var last = items.Count > 0 ? items[^1] : null;
        return new ReviewPage(items, candidates.Count > query.PageSize && last is not null ? ReviewQuery.Token(last.LoggedAt, last.Id) : null, unreadable);
    }

    /// <summary>
    /// Overdue searches (every ledger), escalations delivered and the rarity figures over the last 365 days, and
    /// the review backlog. Rarity counts and flags are the HTML report's (<see cref="AuditHtmlReport.RarityFlags"/>),
    /// clients under pseudonyms that hold for this response only.
    /// </summary>
    public async Task<OversightView> OversightAsync(Caller caller, CancellationToken cancellationToken)
    {
        RequireSupervisor(caller);
        var now = time.GetUtcNow();
        var since = now - Window;
        var overdue = new List<OverdueSearch>();
        var escalations = new List<EscalationSent>();
        var recent = new List<AuditSearchRow>();
        var awaitingReview = 0;
        var unreadable = new List<LedgerFinding>();
        using var pseudonyms = new ClientPseudonyms(indexer);
        foreach (var ledgerId in await LedgersAsync(null, cancellationToken))
        {
            await ReadLedgerAsync(ledgerId, unreadable, async p =>
            {
                awaitingReview += p.Reviewed ? 0 : 1;
                if (rows.IsOverdue(p, now))
                {
                    overdue.Add(new OverdueSearch(p.SearchId, SearchStatusText.Reference(p.SearchId), p.LedgerId, p.NextSessionAt, p.RemindersSent.Count, Escalated(p)));
                }
                if (Escalated(p) && await FirstEscalationAsync(p, cancellationToken) is { } sentAt && sentAt >= since)
                {
                    escalations.Add(new EscalationSent(p.SearchId, SearchStatusText.Reference(p.SearchId), p.LedgerId, sentAt));
                }
                if (p.OccurredAt > since)
                {
                    recent.Add(await rows.RowAsync(p, now, pseudonyms, cancellationToken));
                }
            }, cancellationToken);
        }

        var (byClient, byTherapist) = AuditHtmlReport.RarityFlags(recent, options);
        var therapists = recent.GroupBy(r => r.Therapist, StringComparer.Ordinal)
            .Select(g => new TherapistRarity(g.Key, g.Count(), g.Any(r => byTherapist.Contains(r.SearchId))))
            .OrderByDescending(t => t.Searches).ThenBy(t => t.Therapist, StringComparer.Ordinal).ToList();
        var clients = recent.GroupBy(r => (r.Therapist, r.Client))
            .Select(g => new ClientRarity(g.Key.Client, g.Key.Therapist, g.Count(), g.Any(r => byClient.Contains(r.SearchId))))
            .OrderByDescending(c => c.Searches).ThenBy(c => c.Client, StringComparer.Ordinal).ToList();
        return new OversightView(now,
            [.. overdue.OrderBy(o => o.NextSessionAt ?? DateTimeOffset.MinValue).ThenBy(o => o.Id)],
            [.. escalations.OrderBy(e => e.SentAt)],
            new RarityView(options.RarityMaxPerClientPerYear, options.RarityMaxPerTherapistPerQuarter, therapists, clients),
            awaitingReview, unreadable);
    }

    /// <summary>
    /// Runs <paramref name="each"/> on every search of a ledger. A row that cannot be read as the ledger wrote it
    /// (while listing, or while <paramref name="each"/> decrypts an event) is named in <paramref name="unreadable"/>:
    /// a search row that fails ends that ledger, an event that fails leaves out that search; the other ledgers go on.
    /// </summary>
    private async Task ReadLedgerAsync(string ledgerId, List<LedgerFinding> unreadable, Func<SearchProjection, Task> each, CancellationToken ct)
    {
        try
        {
            await foreach (var p in ledger.ListSearchesAsync(ledgerId, ct))
            {
                try
                {
                    await each(p);
                }
                catch (LedgerIntegrityException e)
                {
                    unreadable.Add(new LedgerFinding(e.LedgerId, e.Problem));
                }
            }
        }
        catch (LedgerIntegrityException e)
        {
            unreadable.Add(new LedgerFinding(e.LedgerId, e.Problem));
        }
    }

    private static int QueueOrder(SearchProjection a, SearchProjection b)
    {
        var byTime = a.LoggedAt.CompareTo(b.LoggedAt);
        return byTime != 0 ? byTime : a.SearchId.CompareTo(b.SearchId);
    }

    private static bool Escalated(SearchProjection p) =>
        p.RemindersSent.Any(k => k.StartsWith(ReminderPlanner.Escalation + "@", StringComparison.Ordinal));

    private async Task<IReadOnlyList<string>> LedgersAsync(string? therapist, CancellationToken ct) =>
        therapist is not null ? [therapist] : await ledger.ListLedgersAsync(ct).ToListAsync(ct);

    private async Task<DateTimeOffset?> FirstEscalationAsync(SearchProjection p, CancellationToken ct)
    {
        await foreach (var e in ledger.ReadAsync(p.LedgerId, p.LoggedSequence, p.LastSequence, ct))
        {
            if (e.Event is ReminderSent { Kind: ReminderPlanner.Escalation } r && r.SearchId == p.SearchId)
            {
                return e.Header.RecordedAt;
            }
        }
        return null;
    }

    private static void RequireSupervisor(Caller caller)
    {
        if (!caller.Is(Role.Supervisor))
        {
            throw new ForbiddenException("The Supervisor role is required.");
        }
    }
}

using WelfareAudit.Core.Anchors;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Reviews;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Core.Searches;

/// <summary>
/// The use cases of the crisis search log. Every action is checked against the caller's role and the
/// ledger's owner: a therapist acts only on their own ledger; a supervisor reads every ledger.
/// Another therapist's search is reported as not found, so ids cannot be probed. Verification also compares
/// each ledger with its anchored checkpoints when <paramref name="anchorAudit"/> is given.
/// </summary>
public sealed class CrisisSearchService(ILedger ledger, IClientIndexer indexer, TimeProvider time, AnchorAudit? anchorAudit = null)
{
    public const int MaxNoteLength = 4000;
    public const int MaxReasonLength = 2000;

    /// <summary>The most search rows one page of the list reads, whatever its filters keep.</summary>
    public const int ScanBudget = 1000;

    /// <summary>What may be amended; <c>status</c> with value <c>closed</c> ends the follow-up.</summary>
    public static readonly IReadOnlySet<string> AmendableFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "clientRef", "occurredAt", "crisis.dangerSuspected", "crisis.riskLevel", "crisis.contactAttempts", "justification",
        "scope.sources", "scope.queries", "findings", "actionsTaken", "thirdPartyContacted", "status",
    };

    public async Task<AppendResult> LogAsync(Caller caller, CrisisSearchDraft? draft, IdempotencyClaim? idempotency, CancellationToken cancellationToken)
    {
        RequireTherapist(caller);
        var entry = CrisisSearchValidator.Validate(draft, time.GetUtcNow());
        var index = await indexer.IndexAsync(entry.ClientRef, cancellationToken);
        var logged = new SearchLogged(Guid.NewGuid(), entry, index);
        return await ledger.AppendNewSearchAsync(caller.ObjectId, caller.ObjectId, logged, idempotency, cancellationToken);
    }

    public async Task<AppendResult> SetNextSessionAsync(Caller caller, Guid searchId, NextSessionDraft? draft, IdempotencyClaim? idempotency, CancellationToken cancellationToken)
    {
        RequireTherapist(caller);
        if (draft is null)
        {
            throw ValidationFailedException.For("$", "a JSON object is required");
        }
        var now = time.GetUtcNow();
        CrisisSearchValidator.ValidateNextSession("nextSessionAt", draft.NextSessionAt, null, now);
        var result = await ledger.AppendAsync(caller.ObjectId, caller.ObjectId, searchId, current =>
        {
            var p = current ?? throw new NotFoundException("No such search.");
            var at = CrisisSearchValidator.ValidateNextSession("nextSessionAt", draft.NextSessionAt, p.OccurredAt, now);
            if (p.State != SearchState.AwaitingDiscussion)
            {
                throw new ConflictException("The search is no longer awaiting discussion.");
            }
            return new NextSessionSet(searchId, at);
        }, idempotency, cancellationToken);
        return result!;
    }

    public async Task<AppendResult> RecordDiscussionAsync(Caller caller, Guid searchId, DiscussionDraft? draft, IdempotencyClaim? idempotency, CancellationToken cancellationToken)
    {
        RequireTherapist(caller);
        var errors = new ValidationErrors();
        if (draft is null)
        {
            throw ValidationFailedException.For("$", "a JSON object is required");
        }
        var discussedAt = CrisisSearchValidator.CheckPastTime(errors, "discussedAt", draft.DiscussedAt, time.GetUtcNow(), required: true);
        var note = TextRules.Check(errors, "note", draft.Note, MaxNoteLength, required: false, multiline: true);
        var response = TextRules.Check(errors, "clientResponse", draft.ClientResponse, MaxNoteLength, required: false, multiline: true);
        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }

        var result = await ledger.AppendAsync(caller.ObjectId, caller.ObjectId, searchId, current =>
        {
            var p = current ?? throw new NotFoundException("No such search.");
            if (discussedAt < p.OccurredAt)
            {
                throw ValidationFailedException.For("discussedAt", "must not be before the search (occurredAt)");
            }
            return p.State switch
            {
                SearchState.AwaitingDiscussion => new DiscussedWithClient(searchId, discussedAt!.Value, note, response),
                SearchState.Discussed => throw new ConflictException("The discussion of this search is already recorded."),
                _ => throw new ConflictException("The search is closed."),
            };
        }, idempotency, cancellationToken);
        return result!;
    }

    public async Task<AppendResult> AmendAsync(Caller caller, Guid searchId, AmendmentDraft? draft, IdempotencyClaim? idempotency, CancellationToken cancellationToken)
    {
        RequireTherapist(caller);
        if (draft is null)
        {
            throw ValidationFailedException.For("$", "a JSON object is required");
        }
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(draft.Field))
        {
            errors.Add("field", "is required");
        }
        else if (!AmendableFields.Contains(draft.Field))
        {
            errors.Add("field", "must be one of: " + string.Join(", ", AmendableFields.Order(StringComparer.Ordinal)));
        }
        // A new client code obeys the rules of the client code; every other value is free text.
        var value = draft.Field == "clientRef"
            ? TextRules.CheckCode(errors, "value", draft.Value, CrisisSearchValidator.MaxClientRefLength, required: true)
            : TextRules.Check(errors, "value", draft.Value, MaxNoteLength, required: true, multiline: true);
        var reason = TextRules.Check(errors, "reason", draft.Reason, MaxReasonLength, required: true, multiline: true);
        if (draft.Field == "status" && value is not null && value != "closed")
        {
            errors.Add("value", "a status amendment can only close the search (value \"closed\")");
        }
        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }

        var closes = draft.Field == "status";
        var result = await ledger.AppendAsync(caller.ObjectId, caller.ObjectId, searchId,
            current => current is null ? throw new NotFoundException("No such search.") : new EntryAmended(searchId, draft.Field!, value!, reason!, closes),
            idempotency, cancellationToken);
        return result!;
    }

    /// <summary>
    /// The searches of the caller's ledger, or of every ledger for a supervisor. A search whose rows cannot
    /// be read as the ledger wrote them is left out and named in <see cref="SearchList.Unreadable"/>
    /// (ledger, sequence, kind): one damaged ledger never hides the others.
    /// </summary>
    public Task<SearchList> ListAsync(Caller caller, string? status, string? therapist, CancellationToken cancellationToken) =>
        ListAsync(caller, status, therapist, risk: null, cancellationToken);

    /// <summary>
    /// As above, and only the searches logged with the given risk level (<c>low</c>, <c>moderate</c>, <c>high</c>,
    /// <c>imminent</c>; the level as logged, which an amendment does not change). Every page of <see cref="ListPageAsync"/>,
    /// newest search first.
    /// </summary>
    public async Task<SearchList> ListAsync(Caller caller, string? status, string? therapist, string? risk, CancellationToken cancellationToken)
    {
        var query = SearchListQuery.Parse(status, therapist, risk, null, null) with { PageSize = SearchListQuery.MaxPageSize };
        var items = new List<SearchSummary>();
        var unreadable = new List<LedgerFinding>();
        while (true)
        {
            var (page, resume) = await ReadPageAsync(caller, query, cancellationToken);
            items.AddRange(page.Items);
            unreadable.AddRange(page.Unreadable);
            if (resume is null)
            {
                return new SearchList([.. items.OrderByDescending(s => s.OccurredAt)], unreadable);
            }
            query = query with { After = resume };
        }
    }

    /// <summary>
    /// One page of the searches of the caller's ledger, or of every ledger for a supervisor (<see cref="SearchListQuery"/>:
    /// keyset paging in the order of the rows). Each ledger's part is one query of its search rows, which carry what the
    /// list shows; nothing else is read or decrypted. A search whose rows cannot be read as the ledger wrote them is left
    /// out and named in <see cref="SearchPage.Unreadable"/>: one damaged row never hides the others. A page reads at most
    /// <see cref="ScanBudget"/> rows, so a filter that keeps few searches answers with a short page and a next one.
    /// </summary>
    public async Task<SearchPage> ListPageAsync(Caller caller, SearchListQuery query, CancellationToken cancellationToken) =>
        (await ReadPageAsync(caller, query, cancellationToken)).Page;

    /// <summary>One page, and the position the next one starts after (null on the last page).</summary>
    private async Task<(SearchPage Page, (string LedgerId, Guid Id)? Resume)> ReadPageAsync(Caller caller, SearchListQuery query, CancellationToken cancellationToken)
    {
        var only = LedgerScope(caller, query.Therapist);
        if (query.After is { } resume && only is not null && resume.LedgerId != only)
        {
            // The token is another list's: refuse it rather than list from a position outside this one.
            throw ValidationFailedException.For("continuation", "is not a continuation token of this list (use the \"next\" value of the previous page)");
        }
        var ledgers = only is not null ? new[] { only }.ToAsyncEnumerable() : ledger.ListLedgersFromAsync(query.After?.LedgerId ?? "", cancellationToken);

        var items = new List<SearchSummary>();
        var unreadable = new List<LedgerFinding>();
        var last = query.After;
        var scanned = 0;
        var more = false;
        await foreach (var ledgerId in ledgers)
        {
            var after = query.After is { } a && a.LedgerId == ledgerId ? a.Id : (Guid?)null;
            try
            {
                await foreach (var row in ledger.ListSearchPageAsync(ledgerId, after, query.State, query.PageSize + 1, cancellationToken))
                {
                    if (row.Search is { } s && (query.Risk is null || s.Risk == query.Risk))
                    {
                        if (items.Count == query.PageSize)
                        {
                            more = true;
                            break;
                        }
                        items.Add(Summary(s.Projection, s.ClientRef));
                    }
                    else if (row.Unreadable is { } finding)
                    {
                        unreadable.Add(finding);
                    }
                    if (row.Position is { } position)
                    {
                        last = (ledgerId, position);
                    }
                    if (++scanned == ScanBudget)
                    {
                        more = true;
                        break;
                    }
                }
            }
            catch (LedgerIntegrityException e)
            {
                // A ledger that cannot be listed at all ends its part of the list; the other ledgers go on.
                unreadable.Add(new LedgerFinding(e.LedgerId, e.Problem));
            }
            if (more)
            {
                break;
            }
        }
        var next = more ? last : null;
        return (new SearchPage(items, next is { } l ? SearchListQuery.Token(l.LedgerId, l.Id) : null, unreadable), next);
    }

    /// <summary>The one ledger the caller lists (their own, or the supervisor's chosen therapist), or null for every ledger.</summary>
    private static string? LedgerScope(Caller caller, string? therapist)
    {
        if (caller.Is(Role.Supervisor))
        {
            return therapist;
        }
        if (caller.Is(Role.Therapist))
        {
            return therapist is not null && therapist != caller.ObjectId
                ? throw new ForbiddenException("A therapist sees only their own searches.")
                : caller.ObjectId;
        }
        throw new ForbiddenException("The Therapist or Supervisor role is required.");
    }

    public async Task<SearchDetail> GetAsync(Caller caller, Guid searchId, CancellationToken cancellationToken)
    {
        SearchProjection projection;
        if (caller.Is(Role.Supervisor))
        {
            projection = await ledger.FindSearchAsync(searchId, cancellationToken) ?? throw new NotFoundException("No such search.");
        }
        else
        {
            RequireTherapist(caller);
            projection = await OwnSearchAsync(caller, searchId, cancellationToken);
        }

        SearchLogged? logged = null;
        DiscussionView? discussion = null;
        var amendments = new List<AmendmentView>();
        var reminders = new List<ReminderView>();
        var reviews = new List<ReviewView>();
        await foreach (var e in ledger.ReadAsync(projection.LedgerId, projection.LoggedSequence, projection.LastSequence, cancellationToken))
        {
            if (e.Event.SearchId != searchId)
            {
                continue;
            }
            switch (e.Event)
            {
                case SearchLogged l:
                    logged = l;
                    break;
                case DiscussedWithClient d:
                    discussion = new DiscussionView(d.DiscussedAt, d.Note, d.ClientResponse);
                    break;
                case EntryAmended a:
                    amendments.Add(new AmendmentView(a.Field, a.Value, a.Reason, a.ClosesSearch, e.Header.RecordedAt));
                    break;
                case ReminderSent r:
                    reminders.Add(new ReminderView(r.Kind, r.Channel, e.Header.RecordedAt));
                    break;
                case SupervisorReviewed v:
                    reviews.Add(new ReviewView(v.Outcome, v.Reviewer, e.Header.RecordedAt, v.Note));
                    break;
            }
        }
        if (logged is null)
        {
            throw new NotFoundException("No such search.");
        }
        return new SearchDetail(Summary(projection, logged.Entry.ClientRef), logged.Entry, discussion, amendments, reminders, projection.LoggedSequence, reviews);
    }

    public async Task<IReadOnlyList<LedgerVerification>> VerifyAsync(Caller caller, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> ledgers;
        if (caller.Is(Role.Supervisor))
        {
            ledgers = await ledger.ListLedgersAsync(cancellationToken).ToListAsync(cancellationToken);
        }
        else
        {
            RequireTherapist(caller);
            ledgers = [caller.ObjectId];
        }
        var results = new List<LedgerVerification>();
        foreach (var id in ledgers)
        {
            results.Add(await ledger.VerifyAsync(id, cancellationToken));
        }
        return anchorAudit is null ? results : await anchorAudit.CheckAsync(results, caller.Is(Role.Supervisor), cancellationToken);
    }

    private static SearchSummary Summary(SearchProjection p, string clientRef) => new(
        p.SearchId, p.LedgerId, clientRef, p.OccurredAt, p.LoggedAt, SearchStatusText.Of(p.State), p.NextSessionAt, p.DiscussedAt,
        p.RemindersSent.Count, SearchStatusText.Reference(p.SearchId));

    private async Task<SearchProjection> OwnSearchAsync(Caller caller, Guid searchId, CancellationToken ct) =>
        await ledger.GetSearchAsync(caller.ObjectId, searchId, ct) ?? throw new NotFoundException("No such search.");

    private static void RequireTherapist(Caller caller)
    {
        if (!caller.Is(Role.Therapist))
        {
            throw new ForbiddenException("The Therapist role is required.");
        }
    }
}

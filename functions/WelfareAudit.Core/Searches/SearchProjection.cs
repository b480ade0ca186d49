using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Searches;

/// <summary>
/// The current state of one search, derived from its events only. It is stored beside the events for
/// fast listing, written in the same transaction as the event that changed it, and can always be rebuilt
/// by folding the events with <see cref="Apply"/>. It holds no client data.
/// </summary>
public sealed record SearchProjection(
    Guid SearchId,
    string LedgerId,
    long LoggedSequence,
    long LastSequence,
    DateTimeOffset OccurredAt,
    DateTimeOffset LoggedAt,
    string ClientIndex,
    SearchState State,
    DateTimeOffset? NextSessionAt,
    DateTimeOffset? DiscussedAt,
    IReadOnlyList<string> RemindersSent,
    int Amendments,
    DateTimeOffset? LastReminderAt,
    DateTimeOffset? ReviewedAt = null,
    string? ReviewOutcome = null,
    string? Reviewer = null)
{
    /// <summary>Whether a supervisor has reviewed the search (<c>SupervisorReviewed</c>).</summary>
    public bool Reviewed => ReviewedAt is not null;

    /// <summary>Folds one event into the projection of its search.</summary>
    public static SearchProjection Apply(SearchProjection? current, EventHeader header, LedgerEvent evt)
    {
        if (evt is SearchLogged logged)
        {
            if (current is not null)
            {
                throw new InvalidOperationException("A search is logged once.");
            }
            return new SearchProjection(logged.Id, header.LedgerId, header.Sequence, header.Sequence, logged.Entry.OccurredAt,
                header.RecordedAt, logged.ClientIndex, SearchState.AwaitingDiscussion, logged.Entry.NextSessionAt, null, [], 0, null);
        }

        if (current is null)
        {
            throw new InvalidOperationException("An event refers to a search that was never logged.");
        }

        var next = current with { LastSequence = header.Sequence };
        return evt switch
        {
            NextSessionSet s => next with { NextSessionAt = s.NextSessionAt },
            ReminderSent r => next with { RemindersSent = [.. current.RemindersSent, r.ReminderKey], LastReminderAt = header.RecordedAt },
            DiscussedWithClient d => next with { State = SearchState.Discussed, DiscussedAt = d.DiscussedAt },
            EntryAmended a => next with
            {
                Amendments = current.Amendments + 1,
                State = a.ClosesSearch && current.State == SearchState.AwaitingDiscussion ? SearchState.Closed : current.State,
            },
            SupervisorReviewed r => next with { ReviewedAt = header.RecordedAt, ReviewOutcome = r.Outcome, Reviewer = r.Reviewer },
            _ => throw new InvalidOperationException("This event type does not belong to a search."),
        };
    }
}

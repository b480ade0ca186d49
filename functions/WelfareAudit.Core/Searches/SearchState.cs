namespace WelfareAudit.Core.Searches;

/// <summary>Where a logged search stands in the follow-up the policy promises.</summary>
public enum SearchState
{
    /// <summary>Logged; the therapist has not yet recorded discussing it with the client.</summary>
    AwaitingDiscussion,

    /// <summary>Discussed with the client: the promise is kept.</summary>
    Discussed,

    /// <summary>Closed by an amendment (for example, logged in error): no follow-up.</summary>
    Closed,
}

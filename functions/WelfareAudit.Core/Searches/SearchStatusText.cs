namespace WelfareAudit.Core.Searches;

public static class SearchStatusText
{
    public const string AwaitingDiscussion = "awaiting-discussion";
    public const string Discussed = "discussed";
    public const string Closed = "closed";
    public const string All = "all";

    public static string Of(SearchState state) => state switch
    {
        SearchState.AwaitingDiscussion => AwaitingDiscussion,
        SearchState.Discussed => Discussed,
        _ => Closed,
    };

    /// <summary>A short opaque reference for notifications and phone screens: no client data, not the full id.</summary>
    public static string Reference(Guid id) => "WA-" + id.ToString("N")[..8].ToUpperInvariant();
}

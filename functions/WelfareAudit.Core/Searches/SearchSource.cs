namespace WelfareAudit.Core.Searches;

/// <summary>Where the therapist searched.</summary>
public enum SearchSource
{
    SearchEngine,
    Blog,
    Facebook,
    TwitterX,
    LinkedIn,
    Other,
}

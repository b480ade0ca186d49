namespace WelfareAudit.Core.Searches;

/// <summary>What was searched.</summary>
public sealed record SearchScope(IReadOnlyList<SearchSource> Sources, IReadOnlyList<string> Queries);

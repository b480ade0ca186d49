namespace WelfareAudit.Core.Searches;

/// <summary>
/// A search as a list shows it: its projection, and the two values of its <c>SearchLogged</c> event a list needs,
/// decrypted (the client code and the risk level as logged; an amendment changes neither here).
/// </summary>
public sealed record ListedSearch(SearchProjection Projection, string ClientRef, RiskLevel Risk);

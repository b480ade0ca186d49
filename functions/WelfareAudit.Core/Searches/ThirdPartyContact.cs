namespace WelfareAudit.Core.Searches;

/// <summary>A third party the therapist contacted, and what was disclosed to them.</summary>
public sealed record ThirdPartyContact(string Recipient, string Disclosed);

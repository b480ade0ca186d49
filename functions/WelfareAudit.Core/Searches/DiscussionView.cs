namespace WelfareAudit.Core.Searches;

public sealed record DiscussionView(DateTimeOffset DiscussedAt, string? Note, string? ClientResponse);

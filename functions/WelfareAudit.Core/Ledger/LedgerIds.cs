namespace WelfareAudit.Core.Ledger;

/// <summary>
/// What a ledger id may be: 1-128 ASCII letters, digits, '-', '_' or '.' (an Entra object id GUID, or a
/// fixed system name such as "practice"). Such an id needs no escaping as a partition key or in an OData
/// filter, so the one rule serves the principal header, query parameters and the table alike.
/// </summary>
public static class LedgerIds
{
    public const int MaxLength = 128;

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}

namespace WelfareAudit.Core.Accounting;

/// <summary>The body of a request for a client's accounting: the client code travels in the body, never in a URL.</summary>
public sealed class ClientAccountingDraft
{
    public string? ClientRef { get; set; }

    public string? Format { get; set; }
}

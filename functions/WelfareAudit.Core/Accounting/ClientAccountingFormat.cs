namespace WelfareAudit.Core.Accounting;

/// <summary>The two representations of a client's accounting.</summary>
public static class ClientAccountingFormat
{
    /// <summary>A printable page in plain language, for the client.</summary>
    public const string Html = "html";

    /// <summary>A bundle that discloses this client's entries only, verifiable with <c>welfare-audit verify</c>.</summary>
    public const string Bundle = "bundle";
}

namespace WelfareAudit.Http;

/// <summary>The two budgets a caller spends: writes (the four POST/PUT routes) and exports. Reads are not limited.</summary>
public enum RateBudget
{
    Writes,
    Exports,
}

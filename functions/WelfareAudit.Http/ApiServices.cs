namespace WelfareAudit.Http;

/// <summary>The handlers, as one object (the hosts resolve it from DI).</summary>
public sealed record ApiServices(SearchHandlers Searches, AuditHandlers Audit, PhonePage Page, ReviewHandlers Reviews, AccountingHandlers Accounting, WitnessHandlers Witness);

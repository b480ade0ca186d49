namespace WelfareAudit.Http;

/// <summary>The handlers, as one object (the hosts resolve it from DI).</summary>
public sealed record ApiServices(SearchHandlers Searches, AuditHandlers Audit, PhonePage Page, WitnessHandlers Witness, ReviewHandlers Reviews);

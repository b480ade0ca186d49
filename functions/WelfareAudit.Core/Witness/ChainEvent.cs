using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Witness;

/// <summary>An event of a verified bundle as the witness sees it: where it is, its type and clear fields, and its chain hash.</summary>
public sealed record ChainEvent(EventHeader Header, IReadOnlyDictionary<string, string> Clear, string PrevHash, string Hash);

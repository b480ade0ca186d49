namespace WelfareAudit.Core.Witness;

/// <summary>What <see cref="WitnessBundleCheck"/> found: the first problem, or every ledger's summary; and the export's time, which ages are measured from.</summary>
public sealed record WitnessReport(WitnessProblem? Problem, DateTimeOffset GeneratedAt, IReadOnlyList<WitnessLedgerSummary> Ledgers)
{
    public bool Ok => Problem is null;

    /// <summary>The newest cosignature of all, by the witness key.</summary>
    public DateTimeOffset? NewestAt => Ledgers.Count == 0 ? null : Ledgers.Max(l => l.NewestAt);
}

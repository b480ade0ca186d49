namespace WelfareAudit.Core.Ledger;

/// <summary>The first problem found, at a sequence. The detail never contains client data.</summary>
public sealed record LedgerProblem(long Sequence, LedgerProblemKind Kind, string Detail)
{
    /// <summary>For the anchor findings (fork, rollback, missing ledger): the blob name of the anchored checkpoint.</summary>
    public string? Anchor { get; init; }
}

namespace WelfareAudit.Core.Ledger;

/// <summary>
/// A ledger's stored rows are not what the ledger wrote: a read or an append stopped at a row (or a missing
/// row) that fails its checks, so the rows were changed outside the application. Retrying does not help;
/// the ledger needs verifying (<c>GET /api/ledger/verify</c>). The message and the problem never carry
/// client data: ledger id, sequence and kind only.
/// </summary>
public sealed class LedgerIntegrityException(string ledgerId, LedgerProblem problem, Exception? inner = null)
    : Exception($"Ledger {ledgerId} failed an integrity check at sequence {problem.Sequence} ({problem.Kind}): {problem.Detail}", inner)
{
    public string LedgerId { get; } = ledgerId;

    public LedgerProblem Problem { get; } = problem;
}

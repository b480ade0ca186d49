namespace WelfareAudit.Core.Audit;

/// <summary>
/// What a client accounting bundle discloses (docs/ledger-format.md §18): the events of one client, named by the
/// sequences per ledger, and the client's blind indexes (one per index key), which the manifest states so that a
/// verifier can check that exactly this client's events are disclosed and every other event is withheld.
/// </summary>
public sealed record ClientDisclosure(IReadOnlyList<string> ClientIndexes, IReadOnlyDictionary<string, IReadOnlySet<long>> Sequences)
{
    public bool Discloses(string ledgerId, long sequence) => Sequences.TryGetValue(ledgerId, out var s) && s.Contains(sequence);
}

using System.Text;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>
/// The disclosure rules of a client accounting bundle (docs/ledger-format.md §18.3), event by event: the events of the
/// client the manifest names (by blind index) disclose every field, every other event withholds every field, no field
/// carries a pseudonym, every search's index key has an index of the client in the manifest (so none of the client's
/// searches can be passed off as another's), and every disclosed client code is the same code.
/// </summary>
internal sealed class ClientAccountingRules(IReadOnlySet<string> clientIndexes)
{
    private readonly HashSet<(string LedgerId, string SearchId)> _searches = [];
    private string? _clientRef;

    public void Check(BundleEvent e)
    {
        var at = e.At;
        if (e.Withheld.FirstOrDefault(w => w.Pseudonym is not null) is { } w)
        {
            throw at.Malformed($"Field '{w.Name}' has a pseudonym; a client accounting bundle withholds no client code under a pseudonym.");
        }

        var clientIndex = e.Header.Type is EventTypes.SearchLogged or EventTypes.ClientAccountingProvided ? e.Clear.GetValueOrDefault("clientIndex") : null;
        if (clientIndex is not null)
        {
            var colon = clientIndex.IndexOf(':', StringComparison.Ordinal);
            var keyId = colon > 0 ? clientIndex[..colon] : clientIndex;
            if (!clientIndexes.Any(i => i.StartsWith(keyId + ":", StringComparison.Ordinal)))
            {
                throw BundleProblems.Fail(BundleProblemKind.ManifestMismatch, e.Header.LedgerId, e.Header.Sequence,
                    $"The event's client index is under index key '{keyId}', but the manifest gives no index of the client under that key, so whether it is the client's cannot be checked.");
            }
        }

        var searchId = e.Clear.GetValueOrDefault("searchId");
        var isClients = clientIndex is not null && clientIndexes.Contains(clientIndex);
        if (isClients && e.Header.Type == EventTypes.SearchLogged && searchId is not null)
        {
            _searches.Add((e.Header.LedgerId, searchId));
        }
        isClients |= searchId is not null && _searches.Contains((e.Header.LedgerId, searchId));

        if (isClients)
        {
            if (e.Withheld.Count > 0)
            {
                throw at.Fail(BundleProblemKind.DisclosureBroken, $"Field '{e.Withheld[0].Name}' of an event of the client is withheld; a client accounting discloses the client's events whole.");
            }
            if (e.Header.Type == EventTypes.SearchLogged && e.Disclosed.FirstOrDefault(d => d.Name == BundleFormat.ClientRef) is { } code)
            {
                // Without the index key the verifier cannot recompute the blind index, but it can see that every disclosed search names one client.
                var normalized = code.Value.Trim().Normalize(NormalizationForm.FormC).ToUpperInvariant();
                if ((_clientRef ??= normalized) != normalized)
                {
                    throw at.Fail(BundleProblemKind.DisclosureBroken, "The disclosed searches name more than one client code.");
                }
            }
        }
        else if (e.Disclosed.Count > 0)
        {
            throw at.Fail(BundleProblemKind.DisclosureBroken, $"Field '{e.Disclosed[0].Name}' of an event that is not the client's is disclosed; a client accounting withholds every other event's fields.");
        }
    }
}

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>
/// Stage 5, disclosure: each event keeps the manifest's promises (docs/ledger-format.md §13.3). Its in-range flag
/// follows the manifest's range; outside the range nothing is disclosed; a client code the manifest withholds is
/// withheld with a pseudonym, and one client has one pseudonym; nothing else in range is withheld. The pseudonyms
/// and the choice of what is disclosed are not signed, so only this stage can catch them being changed.
/// </summary>
internal sealed class DisclosureStage(BundleManifest manifest)
{
    private readonly Dictionary<string, (string Pseudonym, string LedgerId, long Sequence)> _pseudonyms = new(StringComparer.Ordinal);
    private readonly ClientAccountingRules? _client = manifest.ClientIndexes is { } indexes ? new ClientAccountingRules(indexes) : null;

    public void Check(BundleEvent e)
    {
        var at = e.At;
        if (e.InRange != manifest.InRange(e.Header.RecordedAt))
        {
            throw BundleProblems.Fail(BundleProblemKind.ManifestMismatch, e.Header.LedgerId, e.Header.Sequence, "The event's in-range flag disagrees with the manifest's range.");
        }
        if (_client is not null)
        {
            _client.Check(e);
            return;
        }
        var record = e.Record;
        foreach (var d in e.Disclosed)
        {
            if (!e.InRange)
            {
                throw at.Fail(BundleProblemKind.DisclosureBroken, $"Field '{d.Name}' of an event outside the range is disclosed; outside the range every field is withheld.");
            }
            if (manifest.WithholdsClientRef && AuditBundleWriter.IsClientRef(record, d.Name))
            {
                throw at.Fail(BundleProblemKind.DisclosureBroken, $"Field '{d.Name}' is a client code, which the manifest declares withheld, but the event discloses it.");
            }
        }
        foreach (var w in e.Withheld)
        {
            var clientRef = e.InRange && manifest.WithholdsClientRef && AuditBundleWriter.IsClientRef(record, w.Name);
            if (e.InRange && !clientRef)
            {
                throw BundleProblems.Fail(BundleProblemKind.ManifestMismatch, e.Header.LedgerId, e.Header.Sequence,
                    $"Field '{w.Name}' of an in-range event is withheld, but the manifest does not declare it withheld.");
            }
            if (clientRef != w.Pseudonym is not null)
            {
                throw at.Malformed(clientRef ? $"The withheld client code '{w.Name}' has no pseudonym." : $"Field '{w.Name}' has a pseudonym, but it is not a withheld client code.");
            }
            if (clientRef)
            {
                CheckOneClientOnePseudonym(e, w.Pseudonym!);
            }
        }
    }

    /// <summary>
    /// A search's <c>clientIndex</c> (the keyed blind index of its client code) names the client: one client shown
    /// under two pseudonyms would hide that it was searched for more than once.
    /// </summary>
    private void CheckOneClientOnePseudonym(BundleEvent e, string pseudonym)
    {
        if (e.Header.Type != Ledger.EventTypes.SearchLogged || !e.Clear.TryGetValue("clientIndex", out var client))
        {
            return;
        }
        if (!_pseudonyms.TryAdd(client, (pseudonym, e.Header.LedgerId, e.Header.Sequence)) && _pseudonyms[client].Pseudonym != pseudonym)
        {
            var first = _pseudonyms[client];
            throw e.At.Fail(BundleProblemKind.DisclosureBroken,
                $"One client (the same clientIndex) is shown under two pseudonyms: {first.Pseudonym} in ledger {first.LedgerId} at sequence {first.Sequence}, and {pseudonym} here.");
        }
    }
}

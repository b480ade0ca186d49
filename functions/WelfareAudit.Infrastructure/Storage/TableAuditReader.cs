using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// Reads ledger rows for an audit export: the stored header, clear fields, commitments and chain link
/// as they are, and, for the events asked for, each sensitive field decrypted with its salt and checked
/// against its commitment (what lets a bundle disclose a field, or withhold it and show the commitment).
/// </summary>
public sealed class TableAuditReader(TableLedger ledger, IKeyRing keys) : IAuditLedgerReader
{
    private readonly EventSealer _sealer = new(keys);

    public async IAsyncEnumerable<AuditEventRecord> ReadAsync(string ledgerId, long fromSequence, long toSequence, Func<EventHeader, bool> open,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in ledger.ReadSealedAsync(ledgerId, fromSequence, toSequence, cancellationToken))
        {
            yield return await ReadRowAsync(row, open, cancellationToken);
        }
    }

    private async Task<AuditEventRecord> ReadRowAsync(TableEntity row, Func<EventHeader, bool> open, CancellationToken ct)
    {
        try
        {
            var e = EventRow.FromEntity(row);
            IReadOnlyDictionary<string, FieldOpening>? opened = null;
            if (e.Commitments.Count > 0 && open(e.Header))
            {
                var fields = await _sealer.OpenAsync(e, ct);
                opened = fields.ToDictionary(p => p.Key, p => new FieldOpening(p.Value.Value, p.Value.Salt), StringComparer.Ordinal);
            }
            return new AuditEventRecord(e.Header, e.Clear, e.Commitments, opened, e.PrevHash, e.Hash);
        }
        catch (Exception e) when (RowDamage.Is(e))
        {
            throw RowDamage.At(row, e);
        }
        catch (KeyUnavailableException e)
        {
            throw new LedgerUnavailableException("The key store is unavailable.", e);
        }
    }
}

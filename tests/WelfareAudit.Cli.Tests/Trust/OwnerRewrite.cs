using System.Globalization;
using Azure.Data.Tables;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;

namespace WelfareAudit.Cli.Tests.Trust;

/// <summary>
/// Plays the owner of the practice (issue 13): with write access to the table and every key (data and signing), it
/// deletes one search from the middle of a ledger and leaves no trace the ledger itself could show. The events before it
/// stay exactly as they were; every later event is renumbered, its envelopes re-encrypted for its new position (same
/// salts and values, so the same commitments) and re-chained; every
/// <c>Checkpoint</c> is re-signed over the rebuilt head it now points at, every <c>AuditExported</c> points at its
/// checkpoint's new sequence, and the head and search rows are rebuilt, so that verification in storage passes and the
/// app exports and signs a bundle that verifies. Only something the owner does not hold (an earlier export, an
/// anchored checkpoint, a witness's cosignature) can show the rewrite.
/// </summary>
public sealed class OwnerRewrite(TableClient table, IKeyRing keys, ISigningKeys signing)
{
    public static OwnerRewrite Of(AuditWorld world) => new(world.Table, world.KeyRing, world.SigningKeys);

    /// <summary>Removes every event of <paramref name="searchId"/> from <paramref name="ledgerId"/> and rebuilds the ledger.</summary>
    public async Task<OwnerRewriteResult> DeleteSearchAsync(string ledgerId, Guid searchId, CancellationToken cancellationToken = default)
    {
        var rows = await table.QueryAsync<TableEntity>(e => e.PartitionKey == ledgerId, cancellationToken: cancellationToken).ToListAsync(cancellationToken);
        var events = rows.Where(r => RowKeys.TryParseEvent(r.RowKey, out _)).Select(EventRow.FromEntity).OrderBy(e => e.Header.Sequence).ToList();
        var target = searchId.ToString("D");
        var removed = events.Where(e => e.Clear.GetValueOrDefault("searchId") == target).Select(e => e.Header.Sequence).ToList();
        if (removed.Count == 0)
        {
            throw new InvalidOperationException("The ledger has no event of that search.");
        }

        var sealer = new EventSealer(keys);
        var dataKey = await keys.GetCurrentAsync(KeyPurpose.Data, cancellationToken);
        using var key = await signing.GetCurrentAsync(cancellationToken);
        long NewSequence(long old) => old - removed.Count(r => r <= old);
        var hashes = new List<string> { ChainHash.ToHex(ChainHash.Genesis) };
        var rebuilt = new List<SealedEvent>();
        var projections = new Dictionary<Guid, SearchProjection>();
        foreach (var e in events.Where(e => !removed.Contains(e.Header.Sequence)))
        {
            var opened = await sealer.OpenAsync(e, cancellationToken);
            var fields = new EventFields();
            foreach (var (name, value) in e.Clear)
            {
                fields.WithClear(name, value);
            }
            foreach (var (name, value) in opened)
            {
                fields.WithSensitive(name, value.Value);
            }
            var header = e.Header with { Sequence = NewSequence(e.Header.Sequence) };
            if (header.Sequence < removed[0])
            {
                // Before the deleted search: untouched.
                rebuilt.Add(e);
                hashes.Add(e.Hash);
                Fold(projections, header, e.Clear, fields);
                continue;
            }
            if (header.Type == EventTypes.Checkpoint)
            {
                // Re-signed over the head it now points at, with the practice's real key.
                var upTo = NewSequence(long.Parse(e.Clear["upToSequence"], CultureInfo.InvariantCulture));
                var signedAt = Timestamps.Parse(e.Clear["signedAt"]);
                fields.WithClear("upToSequence", upTo.ToString(CultureInfo.InvariantCulture))
                    .WithClear("headHash", hashes[(int)upTo])
                    .WithClear("signingKeyId", key.KeyId)
                    .WithClear("signature", key.SignBase64(CheckpointStatement.Encode(ledgerId, upTo, hashes[(int)upTo], signedAt)));
            }
            if (header.Type == EventTypes.AuditExported && e.Clear.TryGetValue("checkpointSequence", out var checkpoint))
            {
                fields.WithClear("checkpointSequence", NewSequence(long.Parse(checkpoint, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture));
            }
            // The same salts and values (so the same commitments), encrypted for the new position.
            var ciphertexts = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (name, field) in opened)
            {
                byte[] plaintext = [.. field.Salt, .. System.Text.Encoding.UTF8.GetBytes(field.Value)];
                ciphertexts[name] = FieldEnvelope.Seal(dataKey, plaintext, FieldEnvelope.AssociatedData(ledgerId, header.Sequence, name, dataKey.KeyId));
            }
            var clear = new SortedDictionary<string, string>(fields.Clear, StringComparer.Ordinal);
            var hash = ChainHash.ToHex(ChainHash.Next(Convert.FromHexString(hashes[^1]), CanonicalEvent.Encode(header, clear, e.Commitments)));
            rebuilt.Add(new SealedEvent(header, clear, e.Commitments, ciphertexts, hashes[^1], hash));
            hashes.Add(hash);
            Fold(projections, header, e.Clear, fields);
        }

        // The whole partition is replaced: events, head, search rows (idempotency and lease rows are dropped).
        foreach (var row in rows)
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
        }
        foreach (var e in rebuilt)
        {
            await table.AddEntityAsync(EventRow.ToEntity(e), cancellationToken);
        }
        await table.AddEntityAsync(new TableEntity(ledgerId, RowKeys.Head) { ["Seq"] = (long)rebuilt.Count, ["Hash"] = hashes[^1] }, cancellationToken);
        foreach (var p in projections.Values)
        {
            await table.AddEntityAsync(ProjectionRow.ToEntity(p), cancellationToken);
        }
        return new OwnerRewriteResult(ledgerId, removed[0], removed.Count, events.Count, rebuilt.Count);
    }

    private static void Fold(Dictionary<Guid, SearchProjection> projections, EventHeader header, IReadOnlyDictionary<string, string> clear, EventFields fields)
    {
        if (LedgerEventCodec.SearchIdOf(clear) is { } id)
        {
            projections[id] = SearchProjection.Apply(projections.GetValueOrDefault(id), header, LedgerEventCodec.Decode(header.Type, fields.Clear, fields.Sensitive));
        }
    }
}

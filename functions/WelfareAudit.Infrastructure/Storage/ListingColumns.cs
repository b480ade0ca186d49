using System.Buffers.Binary;
using System.Security.Cryptography;
using Azure.Data.Tables;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// What a search row copies from its <c>SearchLogged</c> event so that a list is one query (docs/ledger-format.md §2.5):
/// the envelopes of <c>clientRef</c> and <c>riskLevel</c>, byte for byte, under the event row's names (<c>S_clientRef</c>,
/// <c>S_riskLevel</c>). Their associated data binds them to the ledger, the event's sequence (the row's
/// <c>LoggedSequence</c>, which verification checks) and the field, so a copy moved to another search's row does not open.
/// </summary>
internal static class ListingColumns
{
    private static readonly string[] Fields = ["clientRef", "riskLevel"];

    /// <summary>
    /// Adds the copies to a search row about to be written: from the event when it is the search's <c>SearchLogged</c>,
    /// otherwise carried over from the row it replaces (a row without them stays without them).
    /// </summary>
    public static TableEntity Carry(TableEntity updated, SealedEvent written, TableEntity? replaced)
    {
        foreach (var field in Fields)
        {
            var name = EventRow.CipherPrefix + field;
            if (written.Header.Type == EventTypes.SearchLogged && written.Ciphertexts.TryGetValue(field, out var envelope))
            {
                updated[name] = envelope;
            }
            else if (replaced is not null && replaced.TryGetValue(name, out var kept) && kept is not null)
            {
                updated[name] = EventRow.AsBytes(kept);
            }
        }
        return updated;
    }

    /// <summary>A digest of the copies a search row holds, to compare with its event's envelopes; null when it holds neither.</summary>
    public static UInt128? Digest(TableEntity row)
    {
        byte[]? Copy(string field) => row.TryGetValue(EventRow.CipherPrefix + field, out var value) && value is not null ? EventRow.AsBytes(value) : null;
        return Fields.All(f => Copy(f) is null) ? null : Digest(Copy);
    }

    /// <summary>The digest the copies of a search row must have: that of its <c>SearchLogged</c> event's envelopes.</summary>
    public static UInt128 Digest(SealedEvent logged) => Digest(f => logged.Ciphertexts.GetValueOrDefault(f));

    // 128 bits of SHA-256 over each field's envelope, length-prefixed (-1 for a missing one).
    private static UInt128 Digest(Func<string, byte[]?> envelope)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[8];
        foreach (var field in Fields)
        {
            var bytes = envelope(field);
            BinaryPrimitives.WriteInt64BigEndian(length, bytes?.Length ?? -1);
            hash.AppendData(length);
            hash.AppendData(bytes ?? []);
        }
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return BinaryPrimitives.ReadUInt128BigEndian(digest);
    }

    /// <summary>The search with its copies opened, or null when the row has none (written before they existed).</summary>
    public static async Task<ListedSearch?> OpenAsync(TableEntity row, SearchProjection p, EventSealer sealer, CancellationToken ct)
    {
        if (!row.TryGetValue(EventRow.CipherPrefix + Fields[0], out var clientRef) || clientRef is null ||
            !row.TryGetValue(EventRow.CipherPrefix + Fields[1], out var risk) || risk is null)
        {
            return null;
        }
        var client = await sealer.OpenFieldAsync(EventRow.AsBytes(clientRef), p.LedgerId, p.LoggedSequence, Fields[0], ct);
        var level = await sealer.OpenFieldAsync(EventRow.AsBytes(risk), p.LedgerId, p.LoggedSequence, Fields[1], ct);
        return EnumText.TryParse<RiskLevel>(level.Value, out var parsed)
            ? new ListedSearch(p, client.Value, parsed)
            : throw new FormatException("The risk level a search row copies is not a risk level.");
    }
}

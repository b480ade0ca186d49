using System.Buffers;
using System.Text.Json;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// Writes the verifiable bundle: JSON lines, one object per line. A manifest line, its signature, every
/// event of every ledger part in sequence order, and an end line. Each line is built in a reusable buffer
/// and written asynchronously, so memory stays constant however many events there are. When the export spooled its
/// event lines during the verifying pass (<see cref="AuditExport.Spool"/>), they are copied from the spool; otherwise
/// (a client accounting) each part is read from the ledger here.
/// </summary>
public sealed class AuditBundleWriter(IAuditLedgerReader reader, IClientIndexer indexer)
{
    internal static readonly JsonWriterOptions Options = new() { Indented = false };

    /// <summary>Writes the bundle; returns the in-range events written per ledger.</summary>
    public async Task<IReadOnlyDictionary<string, long>> WriteAsync(
        AuditExport export, SigningKey manifestKey, IReadOnlyList<PublicSigningKey> keys, Stream output, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var json = new Utf8JsonWriter(buffer, Options);

        WriteManifest(json, export, manifestKey.KeyId, keys);
        json.Flush();
        var signature = manifestKey.SignBase64(CheckpointStatement.EncodeManifest(buffer.WrittenSpan));
        await EndLineAsync(json, buffer, output, cancellationToken);

        json.WriteStartObject();
        json.WriteString("kind", BundleFormat.ManifestSignature);
        json.WriteString("keyId", manifestKey.KeyId);
        json.WriteString("signature", signature);
        json.WriteEndObject();
        await EndLineAsync(json, buffer, output, cancellationToken);

        using var pseudonyms = new ClientPseudonyms(indexer);
        var written = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        if (export.Spool is { } spool)
        {
            // Written and verified in the same pass, before the manifest was signed: sent as they are.
            foreach (var part in export.Ledgers)
            {
                await spool.CopyToAsync(part.Spooled ?? throw new InvalidOperationException("A part of a spooled export has no segment."), output, cancellationToken);
                written[part.LedgerId] = part.InRange;
                total += part.Events;
            }
        }
        foreach (var part in export.Spool is null ? export.Ledgers : [])
        {
            long inRange = 0;
            var expected = part.FirstSequence;
            string? previous = null;
            // A client accounting decrypts and discloses that client's events only; an export, the events in its range.
            Func<EventHeader, bool> disclose = export.Client is { } client
                ? h => client.Discloses(h.LedgerId, h.Sequence)
                : h => export.Request.InRange(h.RecordedAt);
            await foreach (var e in reader.ReadAsync(part.LedgerId, part.FirstSequence, part.LastSequence, disclose, cancellationToken))
            {
                // The export verified the ledger before signing; this re-check catches a change made while
                // streaming, and marks the bundle instead of handing out a clean-looking one.
                var problem = e.BreakAt(expected, previous) switch
                {
                    ChainBreak.Missing => $"event {expected} is missing from storage",
                    ChainBreak.Unlinked => $"event {expected} no longer links to its predecessor",
                    ChainBreak.HashMismatch => $"event {expected} no longer matches its hash",
                    _ => null,
                };
                if (problem is not null)
                {
                    await WriteErrorAsync(json, buffer, output, part.LedgerId, expected, problem, cancellationToken);
                    return written;
                }
                var isInRange = export.Request.InRange(e.Header.RecordedAt);
                await WriteEventAsync(json, e, isInRange, isInRange && disclose(e.Header), export.Request.WithholdClientRef, pseudonyms, cancellationToken);
                await EndLineAsync(json, buffer, output, cancellationToken);
                inRange += isInRange ? 1 : 0;
                previous = e.Hash;
                expected++;
                total++;
            }
            written[part.LedgerId] = inRange;
            if (expected != part.LastSequence + 1)
            {
                await WriteErrorAsync(json, buffer, output, part.LedgerId, expected, $"event {expected} is missing from storage", cancellationToken);
                return written;
            }
        }

        json.WriteStartObject();
        json.WriteString("kind", BundleFormat.End);
        json.WriteNumber("ledgers", export.Ledgers.Count);
        json.WriteNumber("events", total);
        json.WriteEndObject();
        await EndLineAsync(json, buffer, output, cancellationToken);
        await output.FlushAsync(cancellationToken);
        return written;
    }

    private static void WriteManifest(Utf8JsonWriter json, AuditExport export, string manifestKeyId, IReadOnlyList<PublicSigningKey> keys)
    {
        json.WriteStartObject();
        json.WriteString("kind", BundleFormat.Manifest);
        json.WriteString("format", export.Client is null ? BundleFormat.Name : BundleFormat.ClientAccountingName);
        json.WriteNumber("version", BundleFormat.Version);
        json.WriteString("exportId", export.ExportId);
        json.WriteString("generatedAt", Timestamps.ToText(export.GeneratedAt));
        json.WriteString("generatedBy", export.GeneratedBy);
        json.WriteStartObject("range");
        WriteTime(json, "from", export.Request.From);
        WriteTime(json, "until", export.Request.Until);
        json.WriteEndObject();
        json.WriteStartArray("withheld");
        if (export.Request.WithholdClientRef)
        {
            json.WriteStringValue(BundleFormat.ClientRef);
        }
        json.WriteEndArray();
        if (export.Client is { } client)
        {
            // Signed with the manifest: the client whose events are disclosed, by blind index only.
            json.WriteStartArray(BundleFormat.ClientIndexes);
            foreach (var index in client.ClientIndexes)
            {
                json.WriteStringValue(index);
            }
            json.WriteEndArray();
        }
        if (export.ExcludedLedgers.Count > 0)
        {
            // Signed with the manifest: the ledgers that failed verification in storage and are not in the bundle.
            json.WriteStartArray("excluded");
            foreach (var finding in export.ExcludedLedgers)
            {
                json.WriteStartObject();
                json.WriteString("ledgerId", finding.LedgerId);
                json.WriteNumber("sequence", finding.Problem.Sequence);
                json.WriteString("kind", finding.Problem.Kind.ToString());
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteString("manifestKeyId", manifestKeyId);
        json.WriteStartArray("signingKeys");
        foreach (var key in keys)
        {
            json.WriteStartObject();
            json.WriteString("keyId", key.KeyId);
            json.WriteString("publicKey", key.PublicKeyPem);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("ledgers");
        foreach (var part in export.Ledgers)
        {
            var c = part.Checkpoint;
            json.WriteStartObject();
            json.WriteString("ledgerId", part.LedgerId);
            json.WriteNumber("firstSequence", part.FirstSequence);
            json.WriteNumber("lastSequence", part.LastSequence);
            json.WriteString("anchor", part.AnchoredOnCheckpoint ? "checkpoint" : "genesis");
            json.WriteNumber("events", part.Events);
            json.WriteNumber("inRange", part.InRange);
            json.WriteStartObject("checkpoint");
            json.WriteNumber("sequence", c.Sequence);
            json.WriteNumber("upToSequence", c.Checkpoint.UpToSequence);
            json.WriteString("headHash", c.Checkpoint.HeadHash);
            json.WriteString("signedAt", Timestamps.ToText(c.Checkpoint.SignedAt));
            json.WriteString("keyId", c.Checkpoint.SigningKeyId);
            json.WriteString("signature", c.Checkpoint.Signature);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("counts");
        json.WriteNumber("ledgers", export.Ledgers.Count);
        json.WriteNumber("events", export.Events);
        json.WriteNumber("inRange", export.InRange);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    internal static async Task WriteEventAsync(Utf8JsonWriter json, AuditEventRecord e, bool inRange, bool disclose, bool withholdClientRef, ClientPseudonyms pseudonyms, CancellationToken ct)
    {
        json.WriteStartObject();
        json.WriteString("kind", BundleFormat.Event);
        json.WriteString("ledgerId", e.Header.LedgerId);
        json.WriteNumber("sequence", e.Header.Sequence);
        json.WriteString("type", e.Header.Type);
        json.WriteString("recordedAt", Timestamps.ToText(e.Header.RecordedAt));
        json.WriteString("actor", e.Header.Actor);
        json.WriteBoolean("inRange", inRange);
        json.WriteStartObject("clear");
        foreach (var (name, value) in e.Clear)
        {
            json.WriteString(name, value);
        }
        json.WriteEndObject();

        json.WriteStartObject("disclosed");
        var withheld = new List<(string Name, string? Pseudonym)>();
        foreach (var name in e.Commitments.Keys)
        {
            var opened = disclose ? e.Opened?.GetValueOrDefault(name) : null;
            if (opened is null)
            {
                withheld.Add((name, null));
            }
            else if (withholdClientRef && IsClientRef(e, name))
            {
                withheld.Add((name, await pseudonyms.OfAsync(opened.Value, ct)));
            }
            else
            {
                json.WriteStartObject(name);
                json.WriteString("value", opened.Value);
                json.WriteBase64String("salt", opened.Salt);
                json.WriteEndObject();
            }
        }
        json.WriteEndObject();

        json.WriteStartObject("withheld");
        foreach (var (name, pseudonym) in withheld)
        {
            json.WriteStartObject(name);
            json.WriteBase64String("commitment", e.Commitments[name]);
            if (pseudonym is not null)
            {
                json.WriteString("pseudonym", pseudonym);
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteString("prevHash", e.PrevHash);
        json.WriteString("hash", e.Hash);
        json.WriteEndObject();
    }

    /// <summary>A client code: the one of a logged search, or the new one an amendment sets.</summary>
    public static bool IsClientRef(AuditEventRecord e, string field) =>
        (e.Header.Type == EventTypes.SearchLogged && field == BundleFormat.ClientRef) ||
        (e.Header.Type == EventTypes.EntryAmended && field == "value" && e.Clear.GetValueOrDefault("field") == BundleFormat.ClientRef);

    private static async Task WriteErrorAsync(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, Stream output, string ledgerId, long sequence, string detail, CancellationToken ct)
    {
        json.WriteStartObject();
        json.WriteString("kind", BundleFormat.Error);
        json.WriteString("ledgerId", ledgerId);
        json.WriteNumber("sequence", sequence);
        json.WriteString("detail", "The ledger changed in storage during the export: " + detail + ". This bundle is incomplete and must not be trusted.");
        json.WriteEndObject();
        await EndLineAsync(json, buffer, output, ct);
        await output.FlushAsync(ct);
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, Timestamps.ToText(value.Value));
        }
    }

    private static async Task EndLineAsync(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, Stream output, CancellationToken ct)
    {
        await output.WriteAsync(EndLine(json, buffer), ct);
        NextLine(json, buffer);
    }

    /// <summary>Ends the JSON value <paramref name="json"/> wrote into <paramref name="buffer"/> with a line break; returns the line.</summary>
    internal static ReadOnlyMemory<byte> EndLine(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer)
    {
        json.Flush();
        buffer.Write("\n"u8);
        return buffer.WrittenMemory;
    }

    /// <summary>Empties <paramref name="buffer"/> for the next line, once the last one was written out.</summary>
    internal static void NextLine(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        json.Reset(buffer);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit;

/// <summary>What is wrong with a bundle. The first problem found is reported.</summary>
public enum BundleProblemKind
{
    /// <summary>A line is not what the format says it must be.</summary>
    Malformed,

    /// <summary>The file ends early (cut in a line, or before the end line).</summary>
    Truncated,

    /// <summary>A signature (manifest or checkpoint) does not verify.</summary>
    BadSignature,

    /// <summary>The bundle is signed with another key than the one the verifier was given.</summary>
    WrongKey,

    /// <summary>An event's content does not match its hash, or it does not link to its predecessor.</summary>
    ChainBroken,

    /// <summary>A sequence number is skipped.</summary>
    MissingEvent,

    /// <summary>Events are out of sequence order.</summary>
    ReorderedEvents,

    /// <summary>A ledger's part is not anchored (genesis or a signed head) or stops before its signed head.</summary>
    Gap,

    /// <summary>The manifest and the events disagree (counts, range, ledgers, withheld fields).</summary>
    ManifestMismatch,

    /// <summary>The exporting system marked the bundle as incomplete (the ledger changed during the export).</summary>
    MarkedIncomplete,

    /// <summary>
    /// The bundle breaks the manifest's disclosure promise: a field it declares withheld (or any field of an event
    /// outside the range) is disclosed, or one client is shown under two pseudonyms.
    /// </summary>
    DisclosureBroken,
}

public sealed record BundleProblem(BundleProblemKind Kind, string? LedgerId, long? Sequence, string Detail)
{
    /// <summary>The line of the file (1 is the manifest) where the problem was found, when it is found at one.</summary>
    public long? Line { get; init; }

    public override string ToString() =>
        $"{Kind}{(LedgerId is null ? "" : $" in ledger {LedgerId}")}{(Sequence is null ? "" : $" at sequence {Sequence.Value.ToString(CultureInfo.InvariantCulture)}")}" +
        $"{(Line is null ? "" : $" (line {Line.Value.ToString(CultureInfo.InvariantCulture)})")}: {Detail}";
}

public sealed record BundleLedgerSummary(string LedgerId, long FirstSequence, long LastSequence, string Anchor, long Events, long InRange,
    DateTimeOffset CheckpointSignedAt, string CheckpointKeyId, long CheckpointsInChain);

public sealed record BundleVerification(
    BundleProblem? Problem,
    string? GeneratedBy,
    DateTimeOffset? GeneratedAt,
    string? ManifestKeyId,
    bool KeyPinned,
    long Events,
    IReadOnlyList<BundleLedgerSummary> Ledgers)
{
    public bool Ok => Problem is null;
}

/// <summary>
/// Verifies a bundle offline, from the file alone (and, preferably, the practice's public key obtained
/// separately): the manifest's signature, each ledger's signed checkpoint, every event's commitments and
/// hash, the links between events, that no sequence number is missing or out of order, that each part is
/// anchored on the genesis or on a signed head, and that the manifest's counts match. Reads one line at a
/// time: memory does not grow with the bundle.
/// </summary>
public static class AuditBundleVerifier
{
    public const int ProgressEvery = 10_000;

    /// <summary>How far back a checkpoint inside the chain may point and still be checked against the recomputed hash.</summary>
    private const int HashWindow = 4096;

    public static async Task<BundleVerification> VerifyAsync(Stream bundle, string? pinnedPublicKeyPem, Action<long>? progress, CancellationToken cancellationToken)
    {
        var state = new State();
        try
        {
            await RunAsync(state, bundle, pinnedPublicKeyPem, progress, cancellationToken);
            return state.Result(null, pinnedPublicKeyPem is not null);
        }
        catch (BundleProblemException p)
        {
            return state.Result(p.Problem, pinnedPublicKeyPem is not null);
        }
        finally
        {
            foreach (var key in state.Keys.Values)
            {
                key.Dispose();
            }
        }
    }

    private static readonly string[] ManifestMembers =
        ["kind", "format", "version", "exportId", "generatedAt", "generatedBy", "range", "withheld", "manifestKeyId", "signingKeys", "ledgers", "counts"];

    private static readonly string[] EventMembers =
        ["kind", "ledgerId", "sequence", "type", "recordedAt", "actor", "inRange", "clear", "disclosed", "withheld", "prevHash", "hash"];

    private static async Task RunAsync(State state, Stream bundle, string? pinnedPem, Action<long>? progress, CancellationToken ct)
    {
        using var reader = new LineReader(bundle);

        // The manifest, its signature, the keys.
        var manifestLine = await reader.NextAsync(ct) ?? throw Fail(BundleProblemKind.Truncated, null, null, "The file is empty.");
        using var manifestDoc = Parse(manifestLine, reader.LineNumber);
        var at = new BundleLineContext(reader.LineNumber);
        var root = manifestDoc.RootElement;
        // Kind, format and version first: a later version may have other members, and is refused as a version.
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var k0) || k0.ValueKind != JsonValueKind.String || k0.GetString() != BundleFormat.Manifest ||
            !root.TryGetProperty("format", out var f0) || f0.ValueKind != JsonValueKind.String || f0.GetString() != BundleFormat.Name)
        {
            throw at.Malformed("The first line is not a welfare-audit bundle manifest.");
        }
        if (!root.TryGetProperty("version", out var v0) || !v0.TryGetInt64(out var version) || version != BundleFormat.Version)
        {
            throw at.Malformed($"Unsupported bundle version (this verifier reads version {BundleFormat.Version}).");
        }
        var m = BundleJsonObject.Of(root, at, "The manifest", ManifestMembers);
        m.String("exportId");
        state.GeneratedBy = m.String("generatedBy");
        state.GeneratedAt = m.Time("generatedAt");
        foreach (var element in m.Array("signingKeys"))
        {
            var k = BundleJsonObject.Of(element, at, "A signing key of the manifest", ["keyId", "publicKey"]);
            var id = k.String("keyId");
            ECDsa key;
            try
            {
                key = CheckpointStatement.ImportPublicKey(k.String("publicKey"));
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                throw at.Malformed($"The manifest's signing key '{id}' is not a P-256 public key.");
            }
            if (!state.Keys.TryAdd(id, key))
            {
                key.Dispose();
                throw at.Malformed($"The manifest lists the signing key '{id}' twice.");
            }
        }
        state.ManifestKeyId = m.String("manifestKeyId");

        ECDsa? pinned = null;
        if (pinnedPem is not null)
        {
            try
            {
                pinned = CheckpointStatement.ImportPublicKey(pinnedPem);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                throw Fail(BundleProblemKind.WrongKey, null, null, "The public key given to the verifier is not a P-256 public key in PEM.");
            }
        }
        using var pinnedKey = pinned;

        var signatureLine = await reader.NextAsync(ct) ?? throw Fail(BundleProblemKind.Truncated, null, null, "The file ends after the manifest.");
        using (var sigDoc = Parse(signatureLine, reader.LineNumber))
        {
            var sigAt = new BundleLineContext(reader.LineNumber);
            var s = BundleJsonObject.Of(sigDoc.RootElement, sigAt, "The manifest's signature line", ["kind", "keyId", "signature"]);
            if (s.String("kind") != BundleFormat.ManifestSignature)
            {
                throw sigAt.Malformed("The second line is not the manifest's signature.");
            }
            if (s.String("keyId") != state.ManifestKeyId)
            {
                throw Fail(BundleProblemKind.ManifestMismatch, null, null, "The manifest's signature names another key than the manifest does.");
            }
            var key = KeyFor(state, state.ManifestKeyId!, null, null, "the manifest");
            CheckPinned(pinnedKey, key, state.ManifestKeyId!, "the manifest");
            if (!CheckpointStatement.Verify(key, CheckpointStatement.EncodeManifest(Encoding.UTF8.GetBytes(manifestLine)), s.String("signature")))
            {
                throw Fail(BundleProblemKind.BadSignature, null, null, "The manifest's signature does not verify: the manifest was altered after it was signed.");
            }
        }

        var range = m.Object("range", ["from", "until"]);
        var from = range.NullableTime("from");
        var until = range.NullableTime("until");
        var withholdClientRef = false;
        foreach (var w in m.Array("withheld"))
        {
            var name = BundleJsonObject.Text(w, at, "An entry of 'withheld'");
            if (name != BundleFormat.ClientRef || withholdClientRef)
            {
                throw at.Malformed($"'withheld' may name '{BundleFormat.ClientRef}' once, and nothing else.");
            }
            withholdClientRef = true;
        }
        var parts = new List<Part>();
        foreach (var element in m.Array("ledgers"))
        {
            var l = BundleJsonObject.Of(element, at, "A ledger of the manifest", ["ledgerId", "firstSequence", "lastSequence", "anchor", "events", "inRange", "checkpoint"]);
            var c = l.Object("checkpoint", ["sequence", "upToSequence", "headHash", "signedAt", "keyId", "signature"]);
            c.Integer("sequence");
            var part = new Part(l.String("ledgerId"), l.Integer("firstSequence"), l.Integer("lastSequence"), l.String("anchor"), l.Integer("events"), l.Integer("inRange"),
                c.Integer("upToSequence"), c.String("headHash"), c.Time("signedAt"), c.String("keyId"), c.String("signature"));
            if (parts.Any(p => p.LedgerId == part.LedgerId))
            {
                throw Fail(BundleProblemKind.ManifestMismatch, part.LedgerId, null, "The manifest lists the ledger twice.");
            }
            if (part.UpTo != part.Last || part.First < 1 || part.Last < part.First || part.Events != part.Last - part.First + 1 ||
                part.Anchor != (part.First == 1 ? "genesis" : "checkpoint"))
            {
                throw Fail(BundleProblemKind.ManifestMismatch, part.LedgerId, null, "The manifest's sequence range, event count, anchor and checkpoint disagree.");
            }
            var key = KeyFor(state, part.KeyId, part.LedgerId, null, "the ledger's checkpoint");
            CheckPinned(pinnedKey, key, part.KeyId, $"the checkpoint of ledger {part.LedgerId}");
            if (!IsHash(part.HeadHash) || !CheckpointStatement.Verify(key, CheckpointStatement.Encode(part.LedgerId, part.UpTo, part.HeadHash, part.SignedAt), part.Signature))
            {
                throw Fail(BundleProblemKind.BadSignature, part.LedgerId, part.UpTo, "The ledger's checkpoint signature does not verify.");
            }
            parts.Add(part);
        }
        var counts = m.Object("counts", ["ledgers", "events", "inRange"]);
        if (counts.Integer("ledgers") != parts.Count || counts.Integer("events") != parts.Sum(p => p.Events) || counts.Integer("inRange") != parts.Sum(p => p.InRange))
        {
            throw Fail(BundleProblemKind.ManifestMismatch, null, null, "The manifest's totals disagree with its ledgers.");
        }

        // The events.
        var ring = new (long Sequence, string Hash)[HashWindow];
        var pseudonyms = new Dictionary<string, (string Pseudonym, string LedgerId, long Sequence)>(StringComparer.Ordinal);
        var index = 0;
        Part? current = parts.Count > 0 ? parts[0] : null;
        var expected = current?.First ?? 0;
        string? previous = null;
        long partEvents = 0, partInRange = 0, checkpointsInChain = 0, total = 0;
        string? pending = null;
        while (true)
        {
            var line = pending ?? await reader.NextAsync(ct);
            pending = null;
            if (line is null)
            {
                throw current is null
                    ? Fail(BundleProblemKind.Truncated, null, null, "The file ends before its end line.")
                    : Fail(BundleProblemKind.Truncated, current.LedgerId, expected, $"The file ends before event {expected} of ledger {current.LedgerId} (the signed head is at {current.Last}).");
            }
            using var doc = Parse(line, reader.LineNumber);
            var lineAt = new BundleLineContext(reader.LineNumber);
            var root2 = doc.RootElement;
            if (root2.ValueKind != JsonValueKind.Object || !root2.TryGetProperty("kind", out var kindElement))
            {
                throw lineAt.Malformed("The line is not a JSON object with a 'kind'.");
            }
            var kind = BundleJsonObject.Text(kindElement, lineAt, "'kind'");
            if (kind == BundleFormat.Error)
            {
                var error = BundleJsonObject.Of(root2, lineAt, "The error line", ["kind", "ledgerId", "sequence", "detail"]);
                throw (lineAt with { LedgerId = error.String("ledgerId"), Sequence = error.Integer("sequence") }).Fail(BundleProblemKind.MarkedIncomplete, error.String("detail"));
            }
            if (kind == BundleFormat.End)
            {
                var end = BundleJsonObject.Of(root2, lineAt, "The end line", ["kind", "ledgers", "events"]);
                if (current is not null)
                {
                    throw Fail(BundleProblemKind.Gap, current.LedgerId, expected, $"Ledger {current.LedgerId} stops before event {expected}; its signed head is at {current.Last}.");
                }
                if (end.Integer("ledgers") != parts.Count || end.Integer("events") != total)
                {
                    throw Fail(BundleProblemKind.ManifestMismatch, null, null, "The end line's counts disagree with the events.");
                }
                if (await reader.NextNonEmptyAsync(ct) is not null)
                {
                    throw Fail(BundleProblemKind.Malformed, null, null, "There is content after the end line.");
                }
                return;
            }
            if (kind != BundleFormat.Event)
            {
                throw lineAt.Malformed($"Line {reader.LineNumber} is neither an event nor the end.");
            }

            var e = BundleJsonObject.Of(root2, lineAt, "The event", EventMembers);
            var ledgerId = e.String("ledgerId");
            var sequence = e.Integer("sequence");
            lineAt = lineAt with { LedgerId = ledgerId, Sequence = sequence };
            if (current is null)
            {
                throw Fail(BundleProblemKind.ManifestMismatch, ledgerId, sequence, "An event follows the last ledger the manifest lists.");
            }
            if (ledgerId != current.LedgerId)
            {
                throw parts.Any(p => p.LedgerId == ledgerId)
                    ? Fail(BundleProblemKind.Gap, current.LedgerId, expected, $"Ledger {current.LedgerId} stops before event {expected}; its signed head is at {current.Last}.")
                    : Fail(BundleProblemKind.ManifestMismatch, ledgerId, sequence, "An event belongs to a ledger the manifest does not list.");
            }
            if (sequence < expected)
            {
                throw Fail(BundleProblemKind.ReorderedEvents, ledgerId, sequence, $"Event {sequence} comes after event {expected - 1}: the events are out of order.");
            }
            if (sequence > expected)
            {
                // One line of look-ahead tells a swap (the expected event comes next) from a deletion.
                var next = await reader.NextAsync(ct);
                var nextSequence = next is null ? null : TrySequence(next);
                throw nextSequence == expected
                    ? Fail(BundleProblemKind.ReorderedEvents, ledgerId, expected, $"Events {expected} and {sequence} are swapped: the events are out of order.")
                    : Fail(BundleProblemKind.MissingEvent, ledgerId, expected, $"Event {expected} is missing (the next event is {sequence}).");
            }

            var header = new EventHeader(ledgerId, sequence, e.String("type"), e.Time("recordedAt"), e.String("actor"));
            var clear = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in e.Map("clear"))
            {
                clear[name] = BundleJsonObject.Text(value, lineAt, $"Clear field '{name}'");
            }
            var inRange = e.Boolean("inRange");
            if (inRange != ((from is null || header.RecordedAt >= from) && (until is null || header.RecordedAt < until)))
            {
                throw Fail(BundleProblemKind.ManifestMismatch, ledgerId, sequence, "The event's in-range flag disagrees with the manifest's range.");
            }
            var commitments = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            var record = new AuditEventRecord(header, clear, commitments, null, "", "");
            foreach (var (name, value) in e.Map("disclosed"))
            {
                var d = BundleJsonObject.Of(value, lineAt, $"Disclosed field '{name}'", ["value", "salt"]);
                var salt = d.Base64("salt");
                if (salt.Length != FieldCommitment.SaltSize)
                {
                    throw lineAt.Malformed($"The salt of field '{name}' is not {FieldCommitment.SaltSize} bytes.");
                }
                if (!inRange)
                {
                    throw lineAt.Fail(BundleProblemKind.DisclosureBroken, $"Field '{name}' of an event outside the range is disclosed; outside the range every field is withheld.");
                }
                if (withholdClientRef && AuditBundleWriter.IsClientRef(record, name))
                {
                    throw lineAt.Fail(BundleProblemKind.DisclosureBroken, $"Field '{name}' is a client code, which the manifest declares withheld, but the event discloses it.");
                }
                commitments[name] = FieldCommitment.Compute(name, salt, d.String("value"));
            }
            foreach (var (name, value) in e.Map("withheld"))
            {
                var w = BundleJsonObject.Of(value, lineAt, $"Withheld field '{name}'", ["commitment"], ["pseudonym"]);
                var commitment = w.Base64("commitment");
                if (commitment.Length != FieldCommitment.Size || !commitments.TryAdd(name, commitment))
                {
                    throw lineAt.Malformed($"Field '{name}' is withheld with a bad commitment, or both withheld and disclosed.");
                }
                var clientRef = inRange && withholdClientRef && AuditBundleWriter.IsClientRef(record, name);
                if (inRange && !clientRef)
                {
                    throw Fail(BundleProblemKind.ManifestMismatch, ledgerId, sequence, $"Field '{name}' of an in-range event is withheld, but the manifest does not declare it withheld.");
                }
                if (clientRef != w.Has("pseudonym"))
                {
                    throw lineAt.Malformed(clientRef ? $"The withheld client code '{name}' has no pseudonym." : $"Field '{name}' has a pseudonym, but it is not a withheld client code.");
                }
                if (clientRef)
                {
                    CheckPseudonym(pseudonyms, header, clear, w.String("pseudonym"), lineAt);
                }
            }

            var prevHash = e.String("prevHash");
            var hash = e.String("hash");
            if (!IsHash(prevHash) || !IsHash(hash))
            {
                throw Fail(BundleProblemKind.Malformed, ledgerId, sequence, "A hash is not 64 lower-case hex digits.");
            }
            if (previous is null)
            {
                CheckAnchor(current, header, clear, prevHash, state);
            }
            else if (prevHash != previous)
            {
                throw Fail(BundleProblemKind.ChainBroken, ledgerId, sequence, $"Chain broken at sequence {sequence}: the event does not link to event {sequence - 1}.");
            }
            var computed = ChainHash.ToHex(ChainHash.Next(Convert.FromHexString(prevHash), CanonicalEvent.Encode(header, clear, commitments)));
            if (computed != hash)
            {
                throw Fail(BundleProblemKind.ChainBroken, ledgerId, sequence, $"Chain broken at sequence {sequence}: the event's content does not match its hash (a field, a time or a header was changed).");
            }

            if (header.Type == EventTypes.Checkpoint)
            {
                CheckInnerCheckpoint(state, ring, header, clear, prevHash);
                checkpointsInChain++;
            }
            ring[sequence % HashWindow] = (sequence, hash);
            previous = hash;
            partEvents++;
            partInRange += inRange ? 1 : 0;
            total++;
            if (progress is not null && total % ProgressEvery == 0)
            {
                progress(total);
            }

            if (sequence == current.Last)
            {
                if (hash != current.HeadHash)
                {
                    throw Fail(BundleProblemKind.ChainBroken, ledgerId, sequence, "Chain broken: the last event's hash is not the head the checkpoint signed.");
                }
                if (partEvents != current.Events || partInRange != current.InRange)
                {
                    throw Fail(BundleProblemKind.ManifestMismatch, ledgerId, null,
                        $"The manifest says {current.Events} events ({current.InRange} in range); the bundle holds {partEvents} ({partInRange} in range).");
                }
                state.Ledgers.Add(new BundleLedgerSummary(current.LedgerId, current.First, current.Last, current.Anchor, partEvents, partInRange,
                    current.SignedAt, current.KeyId, checkpointsInChain));
                index++;
                current = index < parts.Count ? parts[index] : null;
                expected = current?.First ?? 0;
                previous = null;
                partEvents = partInRange = checkpointsInChain = 0;
                System.Array.Clear(ring);
            }
            else
            {
                expected++;
            }
            state.Events = total;
        }
    }

    private static void CheckAnchor(Part part, EventHeader header, IReadOnlyDictionary<string, string> clear, string prevHash, State state)
    {
        if (part.First == 1)
        {
            if (prevHash != ChainHash.ToHex(ChainHash.Genesis))
            {
                throw Fail(BundleProblemKind.Gap, part.LedgerId, 1, "The first event of the ledger does not start from the genesis hash.");
            }
            return;
        }
        // Anchored on a signed head: the first event is a checkpoint over exactly the hash it links to.
        if (header.Type != EventTypes.Checkpoint || clear.GetValueOrDefault("headHash") != prevHash ||
            clear.GetValueOrDefault("upToSequence") != (header.Sequence - 1).ToString(CultureInfo.InvariantCulture))
        {
            throw Fail(BundleProblemKind.Gap, part.LedgerId, header.Sequence, "The ledger's part starts mid-chain without a checkpoint that signs where it starts.");
        }
        CheckCheckpointSignature(state, header, clear);
    }

    private static void CheckInnerCheckpoint(State state, (long Sequence, string Hash)[] ring, EventHeader header, IReadOnlyDictionary<string, string> clear, string prevHash)
    {
        CheckCheckpointSignature(state, header, clear);
        if (!long.TryParse(clear.GetValueOrDefault("upToSequence"), NumberStyles.None, CultureInfo.InvariantCulture, out var upTo) || upTo >= header.Sequence)
        {
            throw Fail(BundleProblemKind.Malformed, header.LedgerId, header.Sequence, "A checkpoint event names no earlier sequence.");
        }
        var signed = clear.GetValueOrDefault("headHash");
        var known = upTo == header.Sequence - 1 ? prevHash : ring[upTo % HashWindow] is var slot && slot.Sequence == upTo ? slot.Hash : null;
        if (known is not null && known != signed)
        {
            throw Fail(BundleProblemKind.ChainBroken, header.LedgerId, upTo, $"Chain broken at sequence {upTo}: the checkpoint at {header.Sequence} signed another hash for it.");
        }
    }

    private static void CheckCheckpointSignature(State state, EventHeader header, IReadOnlyDictionary<string, string> clear)
    {
        var keyId = clear.GetValueOrDefault("signingKeyId") ?? throw Fail(BundleProblemKind.Malformed, header.LedgerId, header.Sequence, "A checkpoint event names no key.");
        var key = KeyFor(state, keyId, header.LedgerId, header.Sequence, "a checkpoint event");
        var ok = long.TryParse(clear.GetValueOrDefault("upToSequence"), NumberStyles.None, CultureInfo.InvariantCulture, out var upTo) &&
            IsHash(clear.GetValueOrDefault("headHash")) &&
            Timestamps.TryParse(clear.GetValueOrDefault("signedAt"), out var signedAt) &&
            CheckpointStatement.Verify(key, CheckpointStatement.Encode(header.LedgerId, upTo, clear["headHash"], signedAt), clear.GetValueOrDefault("signature"));
        if (!ok)
        {
            throw Fail(BundleProblemKind.BadSignature, header.LedgerId, header.Sequence, "The signature of the checkpoint event does not verify.");
        }
    }

    private static ECDsa KeyFor(State state, string keyId, string? ledgerId, long? sequence, string what) =>
        state.Keys.TryGetValue(keyId, out var key) ? key
            : throw Fail(BundleProblemKind.BadSignature, ledgerId, sequence, $"{char.ToUpperInvariant(what[0])}{what[1..]} is signed by key '{keyId}', which the bundle does not carry.");

    private static void CheckPinned(ECDsa? pinned, ECDsa key, string keyId, string what)
    {
        if (pinned is not null && !pinned.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            throw Fail(BundleProblemKind.WrongKey, null, null, $"{char.ToUpperInvariant(what[0])}{what[1..]} is signed with key '{keyId}', which is not the public key given to the verifier.");
        }
    }

    private static long? TrySequence(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.TryGetProperty("sequence", out var s) && s.TryGetInt64(out var v) ? v : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsHash(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigitLower);

    private static JsonDocument Parse(string line, long lineNumber)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            throw Fail(BundleProblemKind.Truncated, null, null, $"Line {lineNumber} is not complete JSON: the file was cut or damaged.");
        }
    }

    private static BundleProblemException Fail(BundleProblemKind kind, string? ledgerId, long? sequence, string detail) =>
        new(new BundleProblem(kind, ledgerId, sequence, detail));

    /// <summary>
    /// One client, one pseudonym: a search's <c>clientIndex</c> (the keyed blind index of its client code) names
    /// the client, and the pseudonym is unsigned, so a bundle showing one client under two pseudonyms was altered
    /// (it would hide that a client was searched for more than once).
    /// </summary>
    private static void CheckPseudonym(Dictionary<string, (string Pseudonym, string LedgerId, long Sequence)> seen, EventHeader header,
        IReadOnlyDictionary<string, string> clear, string pseudonym, BundleLineContext at)
    {
        if (!IsPseudonym(pseudonym))
        {
            throw at.Malformed("A pseudonym is not 'C-' and 10 upper-case hex digits.");
        }
        if (header.Type != EventTypes.SearchLogged || !clear.TryGetValue("clientIndex", out var client))
        {
            return;
        }
        if (!seen.TryAdd(client, (pseudonym, header.LedgerId, header.Sequence)) && seen[client].Pseudonym != pseudonym)
        {
            var first = seen[client];
            throw at.Fail(BundleProblemKind.DisclosureBroken,
                $"One client (the same clientIndex) is shown under two pseudonyms: {first.Pseudonym} in ledger {first.LedgerId} at sequence {first.Sequence}, and {pseudonym} here.");
        }
    }

    private static bool IsPseudonym(string text) =>
        text is { Length: 12 } && text.StartsWith("C-", StringComparison.Ordinal) && text[2..].All(c => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F');

    private sealed record Part(string LedgerId, long First, long Last, string Anchor, long Events, long InRange,
        long UpTo, string HeadHash, DateTimeOffset SignedAt, string KeyId, string Signature);

    private sealed class State
    {
        public Dictionary<string, ECDsa> Keys { get; } = new(StringComparer.Ordinal);

        public List<BundleLedgerSummary> Ledgers { get; } = [];

        public string? GeneratedBy { get; set; }

        public DateTimeOffset? GeneratedAt { get; set; }

        public string? ManifestKeyId { get; set; }

        public long Events { get; set; }

        public BundleVerification Result(BundleProblem? problem, bool pinned) =>
            new(problem, GeneratedBy, GeneratedAt, ManifestKeyId, pinned, Events, Ledgers);
    }

    /// <summary>Reads UTF-8 lines strictly: a byte sequence that is not UTF-8 is damage, not text to guess at.</summary>
    private sealed class LineReader(Stream stream) : IDisposable
    {
        private readonly StreamReader _reader = new(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);

        public long LineNumber { get; private set; }

        public async Task<string?> NextAsync(CancellationToken ct)
        {
            try
            {
                var line = await _reader.ReadLineAsync(ct);
                LineNumber += line is null ? 0 : 1;
                return line;
            }
            catch (DecoderFallbackException)
            {
                throw Fail(BundleProblemKind.Malformed, null, null, $"Line {LineNumber + 1} is not UTF-8 text.");
            }
        }

        public async Task<string?> NextNonEmptyAsync(CancellationToken ct)
        {
            string? line;
            while ((line = await NextAsync(ct)) is not null && line.Length == 0)
            {
            }
            return line;
        }

        public void Dispose() => _reader.Dispose();
    }
}

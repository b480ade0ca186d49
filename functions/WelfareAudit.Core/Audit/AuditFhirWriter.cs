using System.Buffers;
using System.Text.Json;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// The export as a FHIR R4 <c>Bundle</c> (type <c>collection</c>) of <c>AuditEvent</c> resources, one per
/// ledger event in the range, streamed entry by entry. A crisis search is an emergency override of the
/// policy's rule: its logging is DICOM "Emergency Override Started" (DCM 110127) under "Security Alert"
/// (DCM 110113), its discussion with the client "Emergency Override Stopped" (DCM 110138); the purpose of
/// use is <c>ETREAT</c> (emergency treatment, v3-ActReason). Every resource names its ledger position and
/// hash, so it can be matched with the bundle export; the client appears as a code or a per-export pseudonym.
/// </summary>
public static class AuditFhirWriter
{
    public const string Dicom = "http://dicom.nema.org/resources/ontology/DCM";
    public const string ActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    public const string EntityType = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    public const string ObjectRole = "http://terminology.hl7.org/CodeSystem/object-role";
    public const string SecurityRoleType = "http://terminology.hl7.org/CodeSystem/extra-security-role-type";
    public const string TherapistSystem = "urn:welfareaudit:therapist";
    public const string SupervisorSystem = "urn:welfareaudit:supervisor";
    public const string ClientSystem = "urn:welfareaudit:client";
    public const string ClientPseudonymSystem = "urn:welfareaudit:client-pseudonym";
    public const string SearchSystem = "urn:welfareaudit:search";
    public const string LedgerEventSystem = "urn:welfareaudit:ledger-event";

    public static async Task<IReadOnlyDictionary<string, long>> WriteAsync(AuditExport export, IAuditLedgerReader reader, ClientPseudonyms? pseudonyms,
        Stream output, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, SkipValidation = true });
        json.WriteStartObject();
        json.WriteString("resourceType", "Bundle");
        json.WriteString("id", export.ExportId);
        json.WriteStartObject("identifier");
        json.WriteString("system", "urn:ietf:rfc:3986");
        json.WriteString("value", "urn:uuid:" + Guid.ParseExact(export.ExportId, "N").ToString("D"));
        json.WriteEndObject();
        json.WriteString("type", "collection");
        json.WriteString("timestamp", Timestamps.ToText(export.GeneratedAt));
        json.WriteStartArray("entry");
        await FlushAsync(json, buffer, output, cancellationToken);

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var first = true;
        foreach (var part in export.Ledgers)
        {
            long written = 0;
            await foreach (var e in reader.ReadAsync(part.LedgerId, part.FirstSequence, part.LastSequence, h => export.Request.InRange(h.RecordedAt), cancellationToken))
            {
                if (!export.Request.InRange(e.Header.RecordedAt))
                {
                    continue;
                }
                if (!first)
                {
                    buffer.Write(","u8);
                }
                first = false;
                string? client = null;
                if (e.Header.Type == EventTypes.SearchLogged && e.Opened?.GetValueOrDefault(BundleFormat.ClientRef) is { } opened)
                {
                    client = pseudonyms is null ? opened.Value : await pseudonyms.OfAsync(opened.Value, cancellationToken);
                }
                WriteEntry(json, e, client, pseudonyms is not null);
                await FlushAsync(json, buffer, output, cancellationToken);
                written++;
            }
            counts[part.LedgerId] = written;
        }

        buffer.Write("]}\n"u8);
        await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
        await output.FlushAsync(cancellationToken);
        return counts;
    }

    private static void WriteEntry(Utf8JsonWriter json, AuditEventRecord e, string? client, bool pseudonym)
    {
        var (type, subtype, action) = Classify(e);
        var id = Guid.NewGuid();
        json.WriteStartObject();
        json.WriteString("fullUrl", "urn:uuid:" + id.ToString("D"));
        json.WriteStartObject("resource");
        json.WriteString("resourceType", "AuditEvent");
        json.WriteString("id", id.ToString("D"));
        WriteCoding(json, "type", Dicom, type.Code, type.Display);
        if (subtype is { } s)
        {
            json.WriteStartArray("subtype");
            WriteCoding(json, null, Dicom, s.Code, s.Display);
            json.WriteEndArray();
        }
        json.WriteString("action", action);
        if (e.Header.Type == EventTypes.SearchLogged && e.Clear.TryGetValue("occurredAt", out var occurred))
        {
            json.WriteStartObject("period");
            json.WriteString("start", occurred);
            json.WriteEndObject();
        }
        else if (e.Header.Type == EventTypes.DiscussedWithClient && e.Clear.TryGetValue("discussedAt", out var discussed))
        {
            json.WriteStartObject("period");
            json.WriteString("end", discussed);
            json.WriteEndObject();
        }
        json.WriteString("recorded", Timestamps.ToText(e.Header.RecordedAt));
        json.WriteString("outcome", "0");
        json.WriteString("outcomeDesc", e.Header.Type);
        var emergency = e.Header.Type is EventTypes.SearchLogged or EventTypes.DiscussedWithClient or EventTypes.NextSessionSet or EventTypes.ReminderSent;
        if (emergency)
        {
            json.WriteStartArray("purposeOfEvent");
            WriteConcept(json, ActReason, "ETREAT", "Emergency Treatment");
            json.WriteEndArray();
        }

        json.WriteStartArray("agent");
        json.WriteStartObject();
        json.WriteStartObject("type");
        json.WriteStartArray("coding");
        WriteCoding(json, null, SecurityRoleType, "humanuser", "human user");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartObject("who");
        WriteIdentifier(json, e.Header.Actor == e.Header.LedgerId ? TherapistSystem
            : e.Header.Type == EventTypes.SupervisorReviewed ? SupervisorSystem : "urn:welfareaudit:principal", e.Header.Actor);
        json.WriteEndObject();
        json.WriteBoolean("requestor", true);
        if (emergency)
        {
            json.WriteStartArray("purposeOfUse");
            WriteConcept(json, ActReason, "ETREAT", "Emergency Treatment");
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteEndArray();

        json.WriteStartObject("source");
        json.WriteString("site", "WelfareAudit");
        json.WriteStartObject("observer");
        json.WriteString("display", "WelfareAudit ledger of therapist " + e.Header.LedgerId);
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("entity");
        if (client is not null)
        {
            json.WriteStartObject();
            json.WriteStartObject("what");
            WriteIdentifier(json, pseudonym ? ClientPseudonymSystem : ClientSystem, client);
            json.WriteEndObject();
            WriteCoding(json, "type", EntityType, "1", "Person");
            WriteCoding(json, "role", ObjectRole, "1", "Patient");
            json.WriteEndObject();
        }
        if (e.Clear.TryGetValue("searchId", out var searchId))
        {
            json.WriteStartObject();
            json.WriteStartObject("what");
            WriteIdentifier(json, SearchSystem, searchId);
            json.WriteEndObject();
            WriteCoding(json, "type", EntityType, "2", "System Object");
            json.WriteString("description", "The crisis search entry");
            json.WriteEndObject();
        }
        json.WriteStartObject();
        json.WriteStartObject("what");
        WriteIdentifier(json, LedgerEventSystem, $"{e.Header.LedgerId}/{e.Header.Sequence}");
        json.WriteEndObject();
        WriteCoding(json, "type", EntityType, "2", "System Object");
        json.WriteString("description", "The ledger event this audit event is read from (see the bundle export).");
        json.WriteStartArray("detail");
        WriteDetail(json, "sequence", e.Header.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        WriteDetail(json, "prevHash", e.PrevHash);
        WriteDetail(json, "hash", e.Hash);
        if (e.Header.Type == EventTypes.SupervisorReviewed && e.Clear.TryGetValue("outcome", out var outcome))
        {
            WriteDetail(json, "reviewOutcome", outcome);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static ((string Code, string Display) Type, (string Code, string Display)? Subtype, string Action) Classify(AuditEventRecord e) => e.Header.Type switch
    {
        EventTypes.SearchLogged => (("110113", "Security Alert"), ("110127", "Emergency Override Started"), "E"),
        EventTypes.DiscussedWithClient => (("110113", "Security Alert"), ("110138", "Emergency Override Stopped"), "E"),
        EventTypes.EntryAmended when e.Clear.GetValueOrDefault("closesSearch") == "true" => (("110113", "Security Alert"), ("110138", "Emergency Override Stopped"), "U"),
        EventTypes.EntryAmended or EventTypes.NextSessionSet => (("110110", "Patient Record"), null, "U"),
        EventTypes.SupervisorReviewed => (("110110", "Patient Record"), null, "R"),
        EventTypes.AuditExported or EventTypes.ClientAccountingProvided => (("110106", "Export"), null, "R"),
        _ => (("110100", "Application Activity"), null, "E"),
    };

    private static void WriteCoding(Utf8JsonWriter json, string? name, string system, string code, string display)
    {
        if (name is null)
        {
            json.WriteStartObject();
        }
        else
        {
            json.WriteStartObject(name);
        }
        json.WriteString("system", system);
        json.WriteString("code", code);
        json.WriteString("display", display);
        json.WriteEndObject();
    }

    private static void WriteConcept(Utf8JsonWriter json, string system, string code, string display)
    {
        json.WriteStartObject();
        json.WriteStartArray("coding");
        WriteCoding(json, null, system, code, display);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteIdentifier(Utf8JsonWriter json, string system, string value)
    {
        json.WriteStartObject("identifier");
        json.WriteString("system", system);
        json.WriteString("value", value);
        json.WriteEndObject();
    }

    private static void WriteDetail(Utf8JsonWriter json, string type, string value)
    {
        json.WriteStartObject();
        json.WriteString("type", type);
        json.WriteString("valueString", value);
        json.WriteEndObject();
    }

    private static async Task FlushAsync(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, Stream output, CancellationToken ct)
    {
        json.Flush();
        await output.WriteAsync(buffer.WrittenMemory, ct);
        buffer.ResetWrittenCount();
        json.Reset(buffer);
    }
}

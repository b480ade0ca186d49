using System.Text.Json;
using System.Text.RegularExpressions;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// A structural check of FHIR R4 (4.0.1) <c>Bundle</c> and <c>AuditEvent</c> JSON, written from the
/// specification's element tables (hl7.org/fhir/R4/auditevent.html, bundle.html, datatypes.html): every
/// property must be an element of its type, with its cardinality, JSON type, required codes and primitive
/// formats; and the invariant ent-1 (an entity has a name or a query, not both). The tests also parse the
/// same JSON with Firely's R4 model (Hl7.Fhir.R4, strict), which knows every element and type but does not
/// enforce every minimum cardinality or required code on parse; this check covers those.
/// </summary>
public static partial class FhirR4Structure
{
    private sealed record El(string Type, int Min = 0, bool Many = false, string[]? Codes = null);

    private static readonly Dictionary<string, Dictionary<string, El>> Types = new()
    {
        ["Coding"] = new() { ["system"] = new("uri"), ["version"] = new("string"), ["code"] = new("code"), ["display"] = new("string"), ["userSelected"] = new("boolean") },
        ["CodeableConcept"] = new() { ["coding"] = new("Coding", Many: true), ["text"] = new("string") },
        ["Period"] = new() { ["start"] = new("dateTime"), ["end"] = new("dateTime") },
        ["Identifier"] = new()
        {
            ["use"] = new("code", Codes: ["usual", "official", "temp", "secondary", "old"]), ["type"] = new("CodeableConcept"), ["system"] = new("uri"),
            ["value"] = new("string"), ["period"] = new("Period"), ["assigner"] = new("Reference"),
        },
        ["Reference"] = new() { ["reference"] = new("string"), ["type"] = new("uri"), ["identifier"] = new("Identifier"), ["display"] = new("string") },
        ["Narrative"] = new() { ["status"] = new("code", 1, Codes: ["generated", "extensions", "additional", "empty"]), ["div"] = new("string", 1) },
        ["Meta"] = new() { ["versionId"] = new("id"), ["lastUpdated"] = new("instant"), ["source"] = new("uri"), ["profile"] = new("uri", Many: true), ["security"] = new("Coding", Many: true), ["tag"] = new("Coding", Many: true) },
        ["AuditEvent"] = new()
        {
            ["resourceType"] = new("string", 1), ["id"] = new("id"), ["meta"] = new("Meta"), ["implicitRules"] = new("uri"), ["language"] = new("code"), ["text"] = new("Narrative"),
            ["type"] = new("Coding", 1), ["subtype"] = new("Coding", Many: true), ["action"] = new("code", Codes: ["C", "R", "U", "D", "E"]), ["period"] = new("Period"),
            ["recorded"] = new("instant", 1), ["outcome"] = new("code", Codes: ["0", "4", "8", "12"]), ["outcomeDesc"] = new("string"),
            ["purposeOfEvent"] = new("CodeableConcept", Many: true), ["agent"] = new("AuditEvent.agent", 1, Many: true), ["source"] = new("AuditEvent.source", 1),
            ["entity"] = new("AuditEvent.entity", Many: true),
        },
        ["AuditEvent.agent"] = new()
        {
            ["type"] = new("CodeableConcept"), ["role"] = new("CodeableConcept", Many: true), ["who"] = new("Reference"), ["altId"] = new("string"), ["name"] = new("string"),
            ["requestor"] = new("boolean", 1), ["location"] = new("Reference"), ["policy"] = new("uri", Many: true), ["media"] = new("Coding"),
            ["network"] = new("AuditEvent.agent.network"), ["purposeOfUse"] = new("CodeableConcept", Many: true),
        },
        ["AuditEvent.agent.network"] = new() { ["address"] = new("string"), ["type"] = new("code", Codes: ["1", "2", "3", "4", "5"]) },
        ["AuditEvent.source"] = new() { ["site"] = new("string"), ["observer"] = new("Reference", 1), ["type"] = new("Coding", Many: true) },
        ["AuditEvent.entity"] = new()
        {
            ["what"] = new("Reference"), ["type"] = new("Coding"), ["role"] = new("Coding"), ["lifecycle"] = new("Coding"), ["securityLabel"] = new("Coding", Many: true),
            ["name"] = new("string"), ["description"] = new("string"), ["query"] = new("base64Binary"), ["detail"] = new("AuditEvent.entity.detail", Many: true),
        },
        ["AuditEvent.entity.detail"] = new() { ["type"] = new("string", 1), ["valueString"] = new("string"), ["valueBase64Binary"] = new("base64Binary") },
        ["Bundle"] = new()
        {
            ["resourceType"] = new("string", 1), ["id"] = new("id"), ["meta"] = new("Meta"), ["identifier"] = new("Identifier"),
            ["type"] = new("code", 1, Codes: ["document", "message", "transaction", "transaction-response", "batch", "batch-response", "history", "searchset", "collection"]),
            ["timestamp"] = new("instant"), ["total"] = new("unsignedInt"), ["entry"] = new("Bundle.entry", Many: true),
        },
        ["Bundle.entry"] = new() { ["fullUrl"] = new("uri"), ["resource"] = new("Resource") },
    };

    /// <summary>Every structural error of a resource (empty when it conforms).</summary>
    public static List<string> Check(JsonElement resource)
    {
        var errors = new List<string>();
        var type = resource.TryGetProperty("resourceType", out var rt) ? rt.GetString() : null;
        if (type is not ("AuditEvent" or "Bundle"))
        {
            errors.Add($"resourceType '{type}' is not checked here");
            return errors;
        }
        CheckObject(resource, type, type, errors);
        return errors;
    }

    private static void CheckObject(JsonElement obj, string type, string path, List<string> errors)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: must be an object");
            return;
        }
        var elements = Types[type];
        foreach (var p in obj.EnumerateObject())
        {
            if (!elements.TryGetValue(p.Name, out var el))
            {
                errors.Add($"{path}.{p.Name}: is not an element of {type}");
                continue;
            }
            if (el.Many != (p.Value.ValueKind == JsonValueKind.Array))
            {
                errors.Add($"{path}.{p.Name}: must {(el.Many ? "" : "not ")}be an array");
                continue;
            }
            var items = el.Many ? [.. p.Value.EnumerateArray()] : new[] { p.Value };
            if (el.Many && items.Length == 0)
            {
                errors.Add($"{path}.{p.Name}: an array must not be empty");
            }
            for (var i = 0; i < items.Length; i++)
            {
                CheckValue(items[i], el, el.Many ? $"{path}.{p.Name}[{i}]" : $"{path}.{p.Name}", errors);
            }
        }
        foreach (var (name, el) in elements.Where(e => e.Value.Min > 0))
        {
            if (!obj.TryGetProperty(name, out _))
            {
                errors.Add($"{path}.{name}: is required (min {el.Min})");
            }
        }
        if (type == "AuditEvent.entity" && obj.TryGetProperty("name", out _) && obj.TryGetProperty("query", out _))
        {
            errors.Add($"{path}: ent-1 (either a name or a query, not both)");
        }
        if (type == "AuditEvent.entity.detail" && obj.TryGetProperty("valueString", out _) == obj.TryGetProperty("valueBase64Binary", out _))
        {
            errors.Add($"{path}: value[x] is required exactly once");
        }
    }

    private static void CheckValue(JsonElement value, El el, string path, List<string> errors)
    {
        if (Types.ContainsKey(el.Type))
        {
            CheckObject(value, el.Type, path, errors);
            return;
        }
        if (el.Type == "Resource")
        {
            errors.AddRange(Check(value).Select(e => $"{path}: {e}"));
            return;
        }
        if (el.Type == "boolean")
        {
            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                errors.Add($"{path}: must be a JSON boolean");
            }
            return;
        }
        if (el.Type == "unsignedInt")
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n) || n < 0)
            {
                errors.Add($"{path}: must be a non-negative integer");
            }
            return;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path}: must be a JSON string ({el.Type})");
            return;
        }
        var text = value.GetString()!;
        var ok = el.Type switch
        {
            "code" => CodeRegex().IsMatch(text) && (el.Codes is null || el.Codes.Contains(text)),
            "id" => IdRegex().IsMatch(text),
            "instant" => InstantRegex().IsMatch(text),
            "dateTime" => DateTimeRegex().IsMatch(text),
            "uri" => text.Length > 0 && !text.Any(char.IsWhiteSpace),
            "base64Binary" => Convert.TryFromBase64String(text, new byte[text.Length], out _),
            _ => text.Trim().Length > 0,
        };
        if (!ok)
        {
            errors.Add($"{path}: '{text}' is not a valid {el.Type}{(el.Codes is null ? "" : " (" + string.Join("|", el.Codes) + ")")}");
        }
    }

    [GeneratedRegex(@"^[^\s]+( [^\s]+)*$")]
    private static partial Regex CodeRegex();

    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$")]
    private static partial Regex IdRegex();

    [GeneratedRegex(@"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$")]
    private static partial Regex InstantRegex();

    [GeneratedRegex(@"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$")]
    private static partial Regex DateTimeRegex();
}

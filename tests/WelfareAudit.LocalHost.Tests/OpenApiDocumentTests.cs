using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Validation;
using WelfareAudit.Http;
using WelfareAudit.Http.Identity;
using WelfareAudit.Testing;

namespace WelfareAudit.LocalHost.Tests;

/// <summary>
/// docs/openapi.json is a promise to client developers; the code is the truth. These tests hold the
/// document to the route table, the identity rule, the request drafts and the validator, so a change on
/// either side that is not made on the other fails the build.
/// </summary>
public partial class OpenApiDocumentTests
{
    private static readonly string DocumentPath = Path.Combine(RepositoryRoot.Path, "docs", "openapi.json");

    private static readonly string[] HttpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private static JsonElement Document()
    {
        Assert.True(File.Exists(DocumentPath), $"{DocumentPath} is missing.");
        using var doc = JsonDocument.Parse(File.ReadAllText(DocumentPath));
        return doc.RootElement.Clone();
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from op in path.Value.EnumerateObject()
        where HttpMethods.Contains(op.Name, StringComparer.Ordinal)
        select (op.Name.ToUpperInvariant(), path.Name, op.Value);

    private static IEnumerable<ApiRoute> ApiRoutes() =>
        Routes.All.Where(r => r.Template.StartsWith("api/", StringComparison.Ordinal));

    private static JsonElement Operation(JsonElement document, ApiRoute route)
    {
        var found = Operations(document).Where(o => o.Method == route.Method && o.Path == "/" + route.Template).ToList();
        Assert.True(found.Count == 1, $"{route.Method} /{route.Template} is not documented.");
        return found[0].Operation;
    }

    /// <summary>Follows a local "$ref" (a JSON pointer into the document).</summary>
    private static JsonElement Deref(JsonElement document, JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            var pointer = reference.GetString()!;
            Assert.StartsWith("#/", pointer, StringComparison.Ordinal);
            var target = document;
            foreach (var token in pointer[2..].Split('/'))
            {
                var name = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                Assert.True(target.TryGetProperty(name, out target), $"Unresolvable $ref {pointer}");
            }
            schema = target;
        }
        return schema;
    }

    /// <summary>The object schema a property schema describes: through $ref, allOf/oneOf/anyOf branches and array items.</summary>
    private static JsonElement? ObjectSchema(JsonElement document, JsonElement schema)
    {
        schema = Deref(document, schema);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (schema.TryGetProperty("properties", out _))
        {
            return schema;
        }
        if (schema.TryGetProperty("items", out var items))
        {
            return ObjectSchema(document, items);
        }
        foreach (var combinator in new[] { "allOf", "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(combinator, out var branches))
            {
                foreach (var branch in branches.EnumerateArray())
                {
                    if (ObjectSchema(document, branch) is { } found)
                    {
                        return found;
                    }
                }
            }
        }
        return null;
    }

    private static bool IsArray(JsonElement document, JsonElement schema)
    {
        schema = Deref(document, schema);
        return schema.TryGetProperty("type", out var type) && (type.ValueKind == JsonValueKind.String
            ? type.GetString() == "array"
            : type.EnumerateArray().Any(t => t.GetString() == "array"));
    }

    private static JsonElement RequestSchema(JsonElement document, ApiRoute route) =>
        Deref(document, Operation(document, route).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));

    private static ApiRoute Route(string name) => Routes.All.Single(r => r.Name == name);

    // ---- The reflection side: the draft types, named as the API names them (JsonSerializerDefaults.Web: camelCase).

    private static string JsonName(PropertyInfo property) => JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    /// <summary>The draft type a property holds (itself, or the element of a list), when it is a nested draft object.</summary>
    private static Type? NestedDraft(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            type = type.GetGenericArguments()[0];
        }
        return type.IsClass && type != typeof(string) && type.Namespace == typeof(CrisisSearchDraft).Namespace ? type : null;
    }

    /// <summary>Compares one object schema with one draft type, then their nested objects; collects every difference.</summary>
    private static void CompareProperties(JsonElement document, JsonElement schema, Type draft, string path, List<string> differences)
    {
        var documented = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var properties = draft.GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(JsonName, StringComparer.Ordinal);
        foreach (var missing in properties.Keys.Except(documented))
        {
            differences.Add($"{path}{missing}: in {draft.Name} but not documented");
        }
        foreach (var extra in documented.Except(properties.Keys))
        {
            differences.Add($"{path}{extra}: documented but not in {draft.Name}");
        }
        if (!schema.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False)
        {
            differences.Add($"{(path.Length == 0 ? "$" : path.TrimEnd('.'))}: the server refuses unknown properties, so additionalProperties must be false");
        }
        foreach (var (name, property) in properties.Where(p => documented.Contains(p.Key)))
        {
            if (NestedDraft(property.PropertyType) is not { } nested)
            {
                continue;
            }
            var propertySchema = schema.GetProperty("properties").GetProperty(name);
            if (ObjectSchema(document, propertySchema) is { } nestedSchema)
            {
                var prefix = path + name + (IsArray(document, propertySchema) ? "[]." : ".");
                CompareProperties(document, nestedSchema, nested, prefix, differences);
            }
            else
            {
                differences.Add($"{path}{name}: {nested.Name} is an object but its schema has no properties");
            }
        }
    }

    /// <summary>Every path the schema requires, nested ones included: "crisis", "crisis.riskLevel", "crisis.contactAttempts[].at".</summary>
    private static void CollectRequired(JsonElement document, JsonElement schema, string path, ISet<string> required)
    {
        if (schema.TryGetProperty("required", out var names))
        {
            foreach (var name in names.EnumerateArray())
            {
                required.Add(path + name.GetString());
            }
        }
        foreach (var property in schema.GetProperty("properties").EnumerateObject())
        {
            if (ObjectSchema(document, property.Value) is { } nested)
            {
                CollectRequired(document, nested, path + property.Name + (IsArray(document, property.Value) ? "[]." : "."), required);
            }
        }
    }

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex Index();

    /// <summary>
    /// What the validator requires, asked of the validator itself: drafts whose objects are present but
    /// empty, so that every error is a missing value at a known path ("[0]" becomes "[]").
    /// </summary>
    private static SortedSet<string> ValidatorRequiredPaths()
    {
        CrisisSearchDraft[] drafts =
        [
            new(),
            new() { Crisis = new CrisisDraft(), Scope = new ScopeDraft(), ThirdPartyContacted = new ThirdPartyDraft() },
            new() { Crisis = new CrisisDraft { ContactAttempts = [new ContactAttemptDraft()] } },
        ];
        var required = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var draft in drafts)
        {
            var failure = Assert.Throws<ValidationFailedException>(() => CrisisSearchValidator.Validate(draft, DateTimeOffset.UtcNow));
            foreach (var (field, messages) in failure.Errors.ToDictionary())
            {
                if (messages.Any(m => m.Contains("required", StringComparison.Ordinal)))
                {
                    required.Add(Index().Replace(field, "[]"));
                }
            }
        }
        return required;
    }

    [Fact]
    public void Document_Parse_IsOpenApi31()
    {
        var document = Document();

        Assert.Equal(JsonValueKind.Object, document.ValueKind);
        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Single().Value;
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal(ClientPrincipal.HeaderName, scheme.GetProperty("name").GetString());
    }

    [Fact]
    public void Paths_ComparedWithRouteTable_SameMethodsAndPaths()
    {
        var document = Document();

        var documented = Operations(document).Where(o => o.Path.StartsWith("/api/", StringComparison.Ordinal))
            .Select(o => $"{o.Method} {o.Path}").Order(StringComparer.Ordinal).ToList();
        var routed = ApiRoutes().Select(r => $"{r.Method} /{r.Template}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(routed, documented);
    }

    [Fact]
    public void Operations_ComparedWithRouteTable_OperationIdIsTheFunctionName()
    {
        var document = Document();

        Assert.All(ApiRoutes(), route => Assert.Equal(route.Name, Operation(document, route).GetProperty("operationId").GetString()));
    }

    [Fact]
    public void Paths_OutsideApi_OnlyLocalHostOperations()
    {
        var document = Document();

        // The one documented path outside /api is the local host's admin run; nothing else may creep in.
        Assert.All(Operations(document).Where(o => !o.Path.StartsWith("/api/", StringComparison.Ordinal)), o =>
        {
            Assert.Equal("POST /admin/functions/{name}", $"{o.Method} {o.Path}");
            Assert.Contains("local-host", o.Operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        });
    }

    [Fact]
    public void Operations_RequiringIdentity_Document401AndTheSecurityScheme()
    {
        var document = Document();
        var globalSecurity = document.TryGetProperty("security", out var s) && s.GetArrayLength() > 0;

        foreach (var route in ApiRoutes())
        {
            var operation = Operation(document, route);
            var overridden = operation.TryGetProperty("security", out var own);
            var secured = overridden ? own.GetArrayLength() > 0 : globalSecurity;
            if (route.RequiresIdentity)
            {
                Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{route.Method} /{route.Template} requires an identity but documents no 401.");
                Assert.True(secured, $"{route.Method} /{route.Template} requires an identity but documents no security requirement.");
            }
            else
            {
                Assert.False(secured, $"{route.Method} /{route.Template} needs no identity but documents a security requirement.");
            }
        }
    }

    [Fact]
    public void LogSearchRequestSchema_ComparedWithCrisisSearchDraft_SamePropertiesAtEveryLevel()
    {
        var document = Document();
        var differences = new List<string>();

        CompareProperties(document, RequestSchema(document, Route("LogSearch")), typeof(CrisisSearchDraft), "", differences);

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void LogSearchRequestSchema_ComparedWithValidator_SameRequiredFields()
    {
        var document = Document();
        var schema = RequestSchema(document, Route("LogSearch"));

        var topLevel = schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToList();
        var documented = new SortedSet<string>(StringComparer.Ordinal);
        CollectRequired(document, schema, "", documented);
        var validated = ValidatorRequiredPaths();

        Assert.Equal(validated.Where(p => !p.Contains('.', StringComparison.Ordinal)), topLevel);
        var notDocumented = validated.Except(documented).ToList();
        var notValidated = documented.Except(validated).ToList();
        Assert.True(notDocumented.Count == 0 && notValidated.Count == 0,
            $"Required by the validator, not by the schema: [{string.Join(", ", notDocumented)}]; required by the schema, not by the validator: [{string.Join(", ", notValidated)}]");
    }

    public static TheoryData<string, Type> OtherRequestBodies() => new()
    {
        { "SetNextSession", typeof(NextSessionDraft) },
        { "RecordDiscussion", typeof(DiscussionDraft) },
        { "AmendSearch", typeof(AmendmentDraft) },
        { "ReviewSearch", typeof(WelfareAudit.Core.Reviews.ReviewDraft) },
        { "ProvideClientAccounting", typeof(WelfareAudit.Core.Accounting.ClientAccountingDraft) },
    };

    [Theory]
    [MemberData(nameof(OtherRequestBodies))]
    public void RequestSchema_ComparedWithDraft_SameProperties(string routeName, Type draft)
    {
        var document = Document();
        var differences = new List<string>();

        CompareProperties(document, RequestSchema(document, Route(routeName)), draft, "", differences);

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void AmendmentFieldEnum_ComparedWithService_SameAmendableFields()
    {
        var document = Document();
        var field = Deref(document, RequestSchema(document, Route("AmendSearch")).GetProperty("properties").GetProperty("field"));

        var documented = field.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal);

        Assert.Equal(CrisisSearchService.AmendableFields.Order(StringComparer.Ordinal), documented);
    }

    [Fact]
    public void Operations_SpendingARateBudget_Document429WithRetryAfter_OthersDoNot()
    {
        var document = Document();

        foreach (var route in ApiRoutes())
        {
            var responses = Operation(document, route).GetProperty("responses");
            var documented = responses.TryGetProperty("429", out var tooMany);
            Assert.True(documented == route.Budget is not null, $"{route.Method} /{route.Template}: budget {route.Budget?.ToString() ?? "none"}, 429 documented: {documented}.");
            if (documented)
            {
                Assert.True(Deref(document, tooMany).GetProperty("headers").TryGetProperty("Retry-After", out _), $"{route.Method} /{route.Template}: 429 without Retry-After.");
            }
        }
    }

    [Fact]
    public void Operations_RequiringIdentity_Document403()
    {
        var document = Document();

        Assert.All(ApiRoutes().Where(r => r.RequiresIdentity), route =>
            Assert.True(Operation(document, route).GetProperty("responses").TryGetProperty("403", out _), $"{route.Method} /{route.Template} documents no 403."));
    }
}

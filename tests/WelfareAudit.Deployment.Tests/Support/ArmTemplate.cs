using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WelfareAudit.Deployment.Tests.Support;

/// <summary>
/// A compiled ARM template, with every resource of every nested deployment (Bicep modules) flattened,
/// and module parameters followed back to what the parent passed, up to main.bicep's own parameters.
/// </summary>
public sealed partial class ArmTemplate
{
    private ArmTemplate(JsonObject root)
    {
        Root = root;
        var resources = new List<ArmResource>();
        var outputs = new List<ArmOutput>();
        Collect(root, deployment: null, resources, outputs);
        Resources = resources;
        Outputs = outputs;
    }

    public JsonObject Root { get; }

    /// <summary>Every resource, top level and inside modules (the module deployments themselves included).</summary>
    public IReadOnlyList<ArmResource> Resources { get; }

    /// <summary>Every output, of main.bicep and of every module.</summary>
    public IReadOnlyList<ArmOutput> Outputs { get; }

    public static ArmTemplate Parse(string json) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new InvalidOperationException("The compiled template is not a JSON object."));

    /// <summary>A deep copy, to break on purpose in tests that prove a check can fail.</summary>
    public ArmTemplate Copy() => Parse(Root.ToJsonString());

    public IEnumerable<ArmResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The value behind <paramref name="value"/> as seen from <paramref name="resource"/>'s template: while it is
    /// exactly <c>[parameters('x')]</c>, it is replaced by what the enclosing module call passed for x (or, at
    /// main.bicep, by x's default value when it has one and <paramref name="useDefaults"/> is set).
    /// </summary>
    public JsonNode? Resolve(ArmResource resource, JsonNode? value, bool useDefaults = false)
    {
        var deployment = resource.Deployment;
        while (value is JsonValue v && v.TryGetValue<string>(out var text) && ParameterReference().Match(text) is { Success: true } m)
        {
            var name = m.Groups[1].Value;
            if (deployment is null)
            {
                return useDefaults && Root["parameters"]?[name]?["defaultValue"] is { } fallback ? fallback : value;
            }
            value = deployment.Body["properties"]?["parameters"]?[name]?["value"];
            deployment = deployment.Parent;
        }
        return value;
    }

    public string? ResolveString(ArmResource resource, JsonNode? value, bool useDefaults = false) =>
        Resolve(resource, value, useDefaults) is JsonValue v && v.TryGetValue<string>(out var s) ? s : Resolve(resource, value, useDefaults)?.ToJsonString();

    private static void Collect(JsonObject template, ArmDeployment? deployment, List<ArmResource> resources, List<ArmOutput> outputs)
    {
        // Bicep emits an array, or (languageVersion 2.0) an object keyed by symbolic name.
        IEnumerable<JsonNode?> items = template["resources"] switch
        {
            JsonArray array => array,
            JsonObject map => map.Select(p => p.Value),
            _ => [],
        };
        foreach (var item in items.OfType<JsonObject>())
        {
            if (item["existing"] is JsonValue existing && existing.TryGetValue<bool>(out var isExisting) && isExisting)
            {
                continue;
            }
            var resource = new ArmResource(item["type"]?.GetValue<string>() ?? "", item, deployment);
            resources.Add(resource);
            if (resource.Type == "Microsoft.Resources/deployments" && item["properties"]?["template"] is JsonObject nested)
            {
                Collect(nested, new ArmDeployment(item["name"]?.GetValue<string>() ?? "", item, deployment), resources, outputs);
            }
        }
        if (template["outputs"] is JsonObject declared)
        {
            foreach (var (name, body) in declared)
            {
                outputs.Add(new ArmOutput(name, body as JsonObject ?? [], deployment));
            }
        }
    }

    [GeneratedRegex(@"^\[parameters\('([A-Za-z0-9_]+)'\)\]$")]
    private static partial Regex ParameterReference();
}

/// <summary>A Bicep module call: a nested deployment with its own template and the parameters passed to it.</summary>
public sealed record ArmDeployment(string Name, JsonObject Body, ArmDeployment? Parent);

public sealed record ArmResource(string Type, JsonObject Body, ArmDeployment? Deployment)
{
    public string Name => Body["name"]?.ToString() ?? "";

    public JsonObject Properties => Body["properties"] as JsonObject ?? [];

    /// <summary>Where the resource is declared, for messages: "module api / Microsoft.Web/sites".</summary>
    public string Where => $"{(Deployment is null ? "main" : "module " + Deployment.Name)} / {Type} {Name}";
}

public sealed record ArmOutput(string Name, JsonObject Body, ArmDeployment? Deployment)
{
    public string Where => $"{(Deployment is null ? "main" : "module " + Deployment.Name)} output {Name}";
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using WelfareAudit.Testing;

namespace WelfareAudit.Deployment.Tests.Support;

/// <summary>
/// What a deployment of infra/main.bicep with given parameters would create, as the real Bicep CLI predicts it
/// offline (<c>bicep snapshot</c>): conditions decided, parameters and names filled in, only values known after
/// deployment (reference(), environment()) left as expressions. The compiled template holds every variant at
/// once; a snapshot is one variant.
/// </summary>
public sealed class DeploymentSnapshot
{
    public const string TenantId = "7e57a11d-0000-4000-8000-000000000001";
    public const string SubscriptionId = "7e57a11d-0000-4000-8000-000000000002";
    public const string AuthClientId = "7e57a11d-0000-4000-8000-000000000003";
    public const string DeployerId = "7e57a11d-0000-4000-8000-000000000004";
    public const string Location = "swedencentral";

    private DeploymentSnapshot(IReadOnlyList<JsonObject> resources) => Resources = resources;

    /// <summary>Every resource the deployment would create or update, modules flattened.</summary>
    public IReadOnlyList<JsonObject> Resources { get; }

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals(r["type"]?.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type, string nameEnd) =>
        OfType(type).Single(r => r["name"]!.GetValue<string>().EndsWith(nameEnd, StringComparison.Ordinal));

    /// <summary>
    /// Predicts the deployment with the required parameters (fixed test values) and <paramref name="parameters"/>
    /// on top (Bicep literals: <c>true</c>, <c>1</c>, <c>'text'</c>).
    /// </summary>
    public static DeploymentSnapshot Predict(IReadOnlyDictionary<string, string> parameters)
    {
        var directory = Directory.CreateTempSubdirectory("welfare-audit-snapshot-").FullName;
        try
        {
            var main = Path.Combine(RepositoryRoot.Path, "infra", "main.bicep");
            // A .bicepparam names its template by a relative path.
            var text = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"using '{Path.GetRelativePath(directory, main).Replace('\\', '/')}'")
                .AppendLine("param environmentName = 'snapshot'")
                .AppendLine(CultureInfo.InvariantCulture, $"param location = '{Location}'")
                .AppendLine(CultureInfo.InvariantCulture, $"param authClientId = '{AuthClientId}'")
                .AppendLine(CultureInfo.InvariantCulture, $"param principalId = '{DeployerId}'");
            foreach (var (name, value) in parameters)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"param {name} = {value}");
            }
            var file = Path.Combine(directory, "variant.bicepparam");
            File.WriteAllText(file, text.ToString());

            var run = BicepCli.Run("snapshot", file, "--mode", "overwrite", "--tenant-id", TenantId,
                "--subscription-id", SubscriptionId, "--location", Location);
            var output = Path.Combine(directory, "variant.snapshot.json");
            if (run.ExitCode != 0 || run.Diagnostics.Count > 0 || !File.Exists(output))
            {
                throw new InvalidOperationException($"bicep snapshot failed (exit {run.ExitCode}):\n{run.StandardOutput}\n{run.StandardError}");
            }
            var snapshot = JsonNode.Parse(File.ReadAllText(output))!;
            if (snapshot["diagnostics"] is JsonArray { Count: > 0 } diagnostics)
            {
                throw new InvalidOperationException($"bicep snapshot reported: {diagnostics.ToJsonString()}");
            }
            return new DeploymentSnapshot(snapshot["predictedResources"]!.AsArray().OfType<JsonObject>().ToList());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>
/// Two predicted deployments, made once for all tests and in parallel (each takes seconds): the defaults, and
/// every non-default choice a practice makes after its first deployment.
/// </summary>
public sealed class DeploymentSnapshotFixture
{
    /// <summary>The parameters of <see cref="Changed"/>, each a non-default value.</summary>
    public static readonly IReadOnlyDictionary<string, string> ChangedParameters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // docs/deploy.md: after the WORM policy is locked, later provisions leave it alone.
        ["checkpointPolicyLocked"] = "true",
        // An app registration that issues v1 access tokens (accessTokenAcceptedVersion null or 1).
        ["accessTokenAcceptedVersion"] = "1",
    };

    private readonly Task<DeploymentSnapshot> defaults = Task.Run(() => DeploymentSnapshot.Predict(new Dictionary<string, string>()));
    private readonly Task<DeploymentSnapshot> changed = Task.Run(() => DeploymentSnapshot.Predict(ChangedParameters));

    public DeploymentSnapshot Defaults => defaults.GetAwaiter().GetResult();

    public DeploymentSnapshot Changed => changed.GetAwaiter().GetResult();
}

[CollectionDefinition(Name)]
public sealed class DeploymentSnapshotCollection : ICollectionFixture<DeploymentSnapshotFixture>
{
    public const string Name = "predicted deployments of main.bicep";
}

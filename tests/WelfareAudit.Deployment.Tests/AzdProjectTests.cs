using System.Text.RegularExpressions;
using WelfareAudit.Testing;
using YamlDotNet.RepresentationModel;

namespace WelfareAudit.Deployment.Tests;

/// <summary>azure.yaml and its hooks: what azd runs around the Bicep.</summary>
public sealed partial class AzdProjectTests
{
    /// <summary>
    /// The oldest azd with everything the template relies on: deploying to Flex Consumption (1.9.4) and setting
    /// AZURE_PRINCIPAL_TYPE, which main.parameters.json passes as principalType so that a pipeline's service
    /// principal gets its Key Vault Secrets Officer assignment with the right principal type (1.17.1).
    /// </summary>
    private static readonly Version OldestAzd = new(1, 17, 1);

    [Fact]
    public void AzureYaml_RequiredVersions_AzdNoOlderThanTheFeaturesTheTemplateUses()
    {
        var root = (YamlMappingNode)Load("azure.yaml").RootNode;

        var constraint = root.Children.TryGetValue(new YamlScalarNode("requiredVersions"), out var versions) &&
            versions is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("azd"), out var azd)
                ? ((YamlScalarNode)azd).Value
                : null;

        Assert.NotNull(constraint);
        var lowest = LowerBound().Match(constraint);
        Assert.True(lowest.Success, $"requiredVersions.azd '{constraint}' has no lower bound '>= x.y.z'");
        Assert.True(Version.Parse(lowest.Groups[1].Value) >= OldestAzd, $"requiredVersions.azd '{constraint}' allows azd older than {OldestAzd}");
    }

    [Theory]
    [InlineData("posix", "infra/hooks/postprovision.sh")]
    [InlineData("windows", "infra/hooks/postprovision.ps1")]
    public void Postprovision_EachShell_CreatesTheKeysAsTheAzdAccountInTheDeploymentTenant(string shell, string script)
    {
        var hook = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Load("azure.yaml").RootNode)["hooks"])["postprovision"];
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, script));

        Assert.Equal($"./{script}", ((YamlScalarNode)((YamlMappingNode)hook[shell])["run"]).Value);
        var keysInit = Assert.Single(text.Split('\n'), l => l.Contains("dotnet run", StringComparison.Ordinal) && l.Contains("keys init", StringComparison.Ordinal));
        // The account azd signed in with, not the Azure CLI's (another account, or none, on many machines).
        Assert.Contains("--credential azd", keysInit, StringComparison.Ordinal);
        // AzureDeveloperCliCredential uses azd's default tenant unless told: the CLI reads AZURE_TENANT_ID, which
        // the hook checks is set (main.bicep outputs it).
        Assert.Contains("AZURE_TENANT_ID", text, StringComparison.Ordinal);
        Assert.DoesNotContain("azure-cli", text, StringComparison.Ordinal);
    }

    private static YamlDocument Load(string file)
    {
        using var reader = new StreamReader(Path.Combine(RepositoryRoot.Path, file));
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents[0];
    }

    [GeneratedRegex(@">=\s*(\d+\.\d+\.\d+)")]
    private static partial Regex LowerBound();
}

using System.Text.Json.Nodes;
using WelfareAudit.Deployment.Tests.Support;
using WelfareAudit.Testing;

namespace WelfareAudit.Deployment.Tests;

[Collection(CompiledTemplateCollection.Name)]
public sealed class BicepToolchainTests(CompiledTemplateFixture compiled)
{
    [Fact]
    public void Build_MainBicep_CompilesWithoutWarnings()
    {
        Assert.Equal(0, compiled.Build.ExitCode);
        Assert.Empty(compiled.Build.Diagnostics);
    }

    [Fact]
    public void Lint_MainBicep_NoDiagnostics()
    {
        var lint = BicepCli.Run("lint", compiled.MainBicep);

        Assert.True(lint.ExitCode == 0, $"bicep lint exit {lint.ExitCode}:\n{lint.StandardError}");
        Assert.Empty(lint.Diagnostics);
    }

    [Fact]
    public void Lint_ConfigFile_MakesTheSecurityRulesErrors()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "infra", "bicepconfig.json")))!;
        var rules = config["analyzers"]?["core"]?["rules"]?.AsObject() ?? [];

        var notErrors = new[]
            {
                "outputs-should-not-contain-secrets", "secure-parameter-default", "secure-params-in-nested-deploy",
                "secure-secrets-in-params", "use-secure-value-for-secure-inputs", "no-hardcoded-env-urls",
            }
            .Where(rule => rules[rule]?["level"]?.ToString() != "error")
            .ToList();

        Assert.Empty(notErrors);
    }

    [Fact]
    public void MainParameters_EveryValue_NamesATemplateParameterAndCoversTheRequiredOnes()
    {
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "infra", "main.parameters.json")))!;
        var given = file["parameters"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var declared = compiled.Template.Root["parameters"]!.AsObject();

        var unknown = given.Where(name => !declared.ContainsKey(name)).ToList();
        var requiredButMissing = declared.Where(p => p.Value?["defaultValue"] is null && !given.Contains(p.Key)).Select(p => p.Key).ToList();

        Assert.Empty(unknown);
        Assert.Empty(requiredButMissing);
    }
}

using WelfareAudit.Testing;

namespace WelfareAudit.Deployment.Tests.Support;

/// <summary>Compiles infra/main.bicep once for all tests, with the real Bicep CLI, into a temporary folder.</summary>
public sealed class CompiledTemplateFixture : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("welfare-audit-infra-").FullName;

    public CompiledTemplateFixture()
    {
        MainBicep = Path.Combine(RepositoryRoot.Path, "infra", "main.bicep");
        var output = Path.Combine(directory, "main.json");
        Build = BicepCli.Run("build", MainBicep, "--outfile", output);
        if (Build.ExitCode != 0 || !File.Exists(output))
        {
            throw new InvalidOperationException($"bicep build failed (exit {Build.ExitCode}):\n{Build.StandardError}");
        }
        Template = ArmTemplate.Parse(File.ReadAllText(output));
    }

    public string MainBicep { get; }

    public BicepRun Build { get; }

    public ArmTemplate Template { get; }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class CompiledTemplateCollection : ICollectionFixture<CompiledTemplateFixture>
{
    public const string Name = "compiled main.bicep";
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Configuration;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Tests.Support;
using WelfareAudit.Testing;

namespace WelfareAudit.Infrastructure.Tests.Configuration;

[Collection(AzuriteCollection.Name)]
public class InfrastructureRegistrationTests(AzuriteFixture azurite)
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddWelfareAuditInfrastructure(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>What the host's start would refuse: every settings failure, from every settings class.</summary>
    private static IReadOnlyList<string> StartFailures(ServiceProvider provider)
    {
        var failures = SettingsRegistration.Failures(Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate()));
        Assert.NotEmpty(failures);
        return failures;
    }

    [Fact]
    public async Task AddWelfareAuditInfrastructure_AzuriteAndLocalKeyFile_LedgerWorksEndToEnd()
    {
        var keyFile = Path.Combine(Directory.CreateTempSubdirectory("wa-di-").FullName, "keys.json");
        await using var provider = Build(new()
        {
            ["WelfareAudit:Storage:ConnectionString"] = azurite.Server.ConnectionString,
            ["WelfareAudit:Storage:TableName"] = "di" + Guid.NewGuid().ToString("N")[..10],
            ["WelfareAudit:Keys:LocalKeyFile"] = keyFile,
        });

        var ledger = provider.GetRequiredService<ILedger>();
        await ledger.AppendAsync("practice", "system", null, _ => new SupervisorReviewed(null, "sup", ReviewOutcomes.Concern, "an encrypted note"), CancellationToken.None);

        Assert.True((await ledger.VerifyAsync("practice", CancellationToken.None)).Ok);
        Assert.IsType<LocalKeyFileKeyRing>(provider.GetRequiredService<IKeyRing>());
        Assert.Same(provider.GetRequiredService<Azure.Data.Tables.TableServiceClient>(), provider.GetRequiredService<Azure.Data.Tables.TableServiceClient>());
        Assert.True(File.Exists(keyFile));
    }

    [Fact]
    public void AddWelfareAuditInfrastructure_VaultConfigured_UsesKeyVaultKeyRing()
    {
        using var provider = Build(new()
        {
            ["WelfareAudit:Storage:TableServiceUri"] = "https://example.table.core.windows.net",
            ["WelfareAudit:Keys:VaultUri"] = "https://example.vault.azure.net",
            ["WelfareAudit:Identity:ManagedIdentityClientId"] = "00000000-0000-0000-0000-000000000001",
        });

        Assert.IsType<KeyVaultKeyRing>(provider.GetRequiredService<IKeyRing>());
    }

    [Theory]
    [InlineData(null, null, "WelfareAudit:Storage:ConnectionString")]
    [InlineData("UseDevelopmentStorage=true", null, "WelfareAudit:Keys:VaultUri")]
    public void Options_MissingSetting_FailsNamingIt(string? connection, string? keyFile, string named)
    {
        using var provider = Build(new()
        {
            ["WelfareAudit:Storage:ConnectionString"] = connection,
            ["WelfareAudit:Keys:LocalKeyFile"] = keyFile,
        });

        var failures = StartFailures(provider);

        Assert.Contains(failures, f => f.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void Options_BothStorageSettingsAndBadValues_NameEachProblem()
    {
        using var provider = Build(new()
        {
            ["WelfareAudit:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["WelfareAudit:Storage:TableServiceUri"] = "http://insecure.example",
            ["WelfareAudit:Storage:TableName"] = "1-bad",
            ["WelfareAudit:Keys:LocalKeyFile"] = "k.json",
            ["WelfareAudit:Identity:Credential"] = "Default",
        });

        var e = string.Join("\n", StartFailures(provider));

        Assert.Contains("exactly one of WelfareAudit:Storage", e, StringComparison.Ordinal);
        Assert.Contains("TableServiceUri must be an absolute https URI", e, StringComparison.Ordinal);
        Assert.Contains("TableName", e, StringComparison.Ordinal);
        Assert.Contains("Credential", e, StringComparison.Ordinal);
    }
}

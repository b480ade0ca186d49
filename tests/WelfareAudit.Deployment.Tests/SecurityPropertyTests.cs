using WelfareAudit.Deployment.Tests.Support;

namespace WelfareAudit.Deployment.Tests;

/// <summary>Each security property of the deployment, asserted over the ARM JSON the real Bicep compiler produced.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class SecurityPropertyTests(CompiledTemplateFixture compiled)
{
    private ArmTemplate Template => compiled.Template;

    [Fact]
    public void StorageAccounts_Compiled_SharedKeyOffTls12NoPublicBlobAccess() =>
        Holds(InfraChecks.StorageAccounts(Template));

    [Fact]
    public void KeyVault_Compiled_RbacSoftDelete90DaysPurgeProtection() =>
        Holds(InfraChecks.KeyVaults(Template));

    [Fact]
    public void FunctionApp_Compiled_FlexFc1DotnetIsolated10HttpsOnlyFtpOff() =>
        Holds(InfraChecks.FunctionApp(Template));

    [Fact]
    public void FunctionApp_Compiled_KeyVaultReferencesResolvedWithTheUserAssignedIdentity() =>
        Holds(InfraChecks.KeyVaultReferences(Template));

    [Fact]
    public void AppSettings_Compiled_HostStorageIsIdentityBased() =>
        Holds(InfraChecks.IdentityBasedHostStorage(Template));

    [Fact]
    public void AppSettings_Compiled_NoConnectionStringKeyOrSecret() =>
        Holds(InfraChecks.NoSecretsInAppSettings(Template));

    [Fact]
    public void AppSettings_Compiled_EverySettingTheAppReadsAndThePlaceholderWorkaround() =>
        Holds(InfraChecks.SettingsForTheApp(Template));

    [Fact]
    public void ApplicationInsights_Compiled_LocalAuthDisabled() =>
        Holds(InfraChecks.ApplicationInsights(Template));

    [Fact]
    public void RoleAssignments_Compiled_LeastPrivilegeForAppAndSecretsOfficerOnlyForDeployer() =>
        Holds(InfraChecks.RoleAssignments(Template));

    [Fact]
    public void Authentication_Compiled_RequiredForEverythingButHealth() =>
        Holds(InfraChecks.Authentication(Template));

    [Fact]
    public void Outputs_Compiled_NoSecretKeyOrConnectionString() =>
        Holds(InfraChecks.Outputs(Template));

    [Fact]
    public void LedgerStorage_Compiled_WormCheckpointsAndDeleteLock() =>
        Holds(InfraChecks.LedgerRetention(Template));

    /// <summary>Fails with every breach listed, one per line.</summary>
    internal static void Holds(IReadOnlyList<string> findings) =>
        Assert.True(findings.Count == 0, "Breaches:\n" + string.Join("\n", findings));
}

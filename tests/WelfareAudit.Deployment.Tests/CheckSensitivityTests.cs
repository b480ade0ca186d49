using System.Text.Json.Nodes;
using WelfareAudit.Deployment.Tests.Support;

namespace WelfareAudit.Deployment.Tests;

/// <summary>
/// Proves each check can fail: a copy of the compiled template is broken in one way a careless edit of the
/// Bicep could break it, and the check must report it.
/// </summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class CheckSensitivityTests(CompiledTemplateFixture compiled)
{
    private static readonly Dictionary<string, (Action<ArmTemplate> Break, Func<ArmTemplate, IReadOnlyList<string>> Check)> Breaches = new()
    {
        ["storage: shared key access on"] = (t => First(t, "Microsoft.Storage/storageAccounts").Properties["allowSharedKeyAccess"] = true, InfraChecks.StorageAccounts),
        ["storage: shared key access from a parameter"] = (t => First(t, "Microsoft.Storage/storageAccounts").Properties["allowSharedKeyAccess"] = "[parameters('allowSharedKey')]", InfraChecks.StorageAccounts),
        ["storage: TLS 1.0 allowed"] = (t => First(t, "Microsoft.Storage/storageAccounts").Properties["minimumTlsVersion"] = "TLS1_0", InfraChecks.StorageAccounts),
        ["storage: public blob access"] = (t => First(t, "Microsoft.Storage/storageAccounts").Properties["allowBlobPublicAccess"] = true, InfraChecks.StorageAccounts),
        ["storage: public container"] = (t => First(t, "Microsoft.Storage/storageAccounts/blobServices/containers").Properties["publicAccess"] = "Blob", InfraChecks.StorageAccounts),
        ["vault: access policies instead of RBAC"] = (t => First(t, "Microsoft.KeyVault/vaults").Properties["enableRbacAuthorization"] = false, InfraChecks.KeyVaults),
        ["vault: 7-day soft delete"] = (t => First(t, "Microsoft.KeyVault/vaults").Properties["softDeleteRetentionInDays"] = 7, InfraChecks.KeyVaults),
        ["vault: soft delete off"] = (t => First(t, "Microsoft.KeyVault/vaults").Properties.Remove("enableSoftDelete"), InfraChecks.KeyVaults),
        ["vault: no purge protection"] = (t => First(t, "Microsoft.KeyVault/vaults").Properties.Remove("enablePurgeProtection"), InfraChecks.KeyVaults),
        ["app: HTTP allowed"] = (t => Site(t).Properties["httpsOnly"] = false, InfraChecks.FunctionApp),
        ["app: FTP on"] = (t => Site(t).Properties["siteConfig"]!["ftpsState"] = "AllAllowed", InfraChecks.FunctionApp),
        ["app: .NET 8"] = (t => Site(t).Properties["functionAppConfig"]!["runtime"]!["version"] = "8.0", InfraChecks.FunctionApp),
        ["app: Linux Consumption plan"] = (t => First(t, "Microsoft.Web/serverfarms").Body["sku"] = new JsonObject { ["name"] = "Y1", ["tier"] = "Dynamic" }, InfraChecks.FunctionApp),
        ["app: no Key Vault reference identity"] = (t => Site(t).Properties.Remove("keyVaultReferenceIdentity"), InfraChecks.KeyVaultReferences),
        ["app: Key Vault references with a system-assigned identity"] = (t => Site(t).Properties["keyVaultReferenceIdentity"] = "SystemAssigned", InfraChecks.KeyVaultReferences),
        ["app: SCM basic auth on"] = (t => Policy(t, "scm").Properties["allow"] = true, InfraChecks.FunctionApp),
        ["settings: AzureWebJobsStorage connection string"] = (t => Settings(t)["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net", InfraChecks.IdentityBasedHostStorage),
        ["settings: host storage credential dropped"] = (t => Settings(t).Remove("AzureWebJobsStorage__credential"), InfraChecks.IdentityBasedHostStorage),
        ["settings: account key via listKeys"] = (t => Settings(t)["LEDGER_ACCOUNT_KEY_VALUE"] = "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-05-01').keys[0].value]", InfraChecks.NoSecretsInAppSettings),
        ["settings: Key Vault reference"] = (t => Settings(t)["SMTP_LOGIN"] = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/smtp)", InfraChecks.NoSecretsInAppSettings),
        ["settings: secret-named setting"] = (t => Settings(t)["WelfareAudit__Reminders__Smtp__Password"] = "[parameters('smtpPassword')]", InfraChecks.NoSecretsInAppSettings),
        ["settings: App Insights without Entra auth"] = (t => Settings(t).Remove("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"), InfraChecks.NoSecretsInAppSettings),
        ["settings: vault URI missing"] = (t => Settings(t).Remove("WelfareAudit__Keys__VaultUri"), InfraChecks.SettingsForTheApp),
        ["settings: reminder schedule missing"] = (t => Settings(t).Remove("REMINDER_SCHEDULE"), InfraChecks.SettingsForTheApp),
        ["settings: placeholder workaround off"] = (t => Settings(t)["WEBSITE_USE_PLACEHOLDER_DOTNETISOLATED"] = "1", InfraChecks.SettingsForTheApp),
        ["settings: WEBSITE_AUTH_ENABLED set by hand"] = (t => Settings(t)["WEBSITE_AUTH_ENABLED"] = "True", InfraChecks.SettingsForTheApp),
        ["settings: FUNCTIONS_WORKER_RUNTIME on Flex"] = (t => Settings(t)["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated", InfraChecks.SettingsForTheApp),
        ["settings: Azurite connection string"] = (t => Settings(t)["WelfareAudit__Storage__ConnectionString"] = "UseDevelopmentStorage=true", InfraChecks.SettingsForTheApp),
        ["monitoring: App Insights local auth on"] = (t => First(t, "Microsoft.Insights/components").Properties["DisableLocalAuth"] = false, InfraChecks.ApplicationInsights),
        ["roles: no table role for the app"] = (t => Remove(Role(t, InfraChecks.StorageTableDataContributor)), InfraChecks.RoleAssignments),
        ["roles: no Secrets User for the app"] = (t => Remove(Role(t, InfraChecks.KeyVaultSecretsUser)), InfraChecks.RoleAssignments),
        ["roles: Secrets Officer for the app"] = (t => Role(t, InfraChecks.KeyVaultSecretsOfficer).Properties["principalId"] = "[parameters('appPrincipalId')]", InfraChecks.RoleAssignments),
        ["roles: no Secrets Officer for the deployer"] = (t => Remove(Role(t, InfraChecks.KeyVaultSecretsOfficer)), InfraChecks.RoleAssignments),
        ["roles: table role on the whole resource group"] = (t => Role(t, InfraChecks.StorageTableDataContributor).Body.Remove("scope"), InfraChecks.RoleAssignments),
        ["auth: not required"] = (t => Auth(t).Properties["globalValidation"]!["requireAuthentication"] = false, InfraChecks.Authentication),
        ["auth: anonymous allowed"] = (t => Auth(t).Properties["globalValidation"]!["unauthenticatedClientAction"] = "AllowAnonymous", InfraChecks.Authentication),
        ["auth: API excluded too"] = (t => Auth(t).Properties["globalValidation"]!["excludedPaths"]!.AsArray().Add("/api/searches"), InfraChecks.Authentication),
        ["auth: client secret"] = (t => Auth(t).Properties["identityProviders"]!["azureActiveDirectory"]!["registration"]!["clientSecretSettingName"] = "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET", InfraChecks.Authentication),
        ["auth: hard-coded client id"] = (t => Auth(t).Properties["identityProviders"]!["azureActiveDirectory"]!["registration"]!["clientId"] = "00000000-0000-0000-0000-000000000000", InfraChecks.Authentication),
        ["outputs: account key"] = (t => t.Root["outputs"]!["STORAGE_ACCOUNT_KEY"] = new JsonObject { ["type"] = "string", ["value"] = "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-05-01').keys[0].value]" }, InfraChecks.Outputs),
        ["outputs: App Insights connection string"] = (t => t.Root["outputs"]!["APPLICATIONINSIGHTS_CONNECTION_STRING"] = new JsonObject { ["type"] = "string", ["value"] = "[reference(resourceId('Microsoft.Insights/components', 'appi'), '2020-02-02').ConnectionString]" }, InfraChecks.Outputs),
        ["outputs: secure output"] = (t => t.Root["outputs"]!["AZURE_LOCATION"]!["type"] = "securestring", InfraChecks.Outputs),
        ["retention: WORM under six years"] = (t => First(t, "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies").Properties["immutabilityPeriodSinceCreationInDays"] = 365, InfraChecks.LedgerRetention),
        ["retention: anchors appendable"] = (t => First(t, "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies").Properties["allowProtectedAppendWrites"] = true, InfraChecks.LedgerRetention),
        ["retention: anchors appendable (all blob types)"] = (t => First(t, "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies").Properties["allowProtectedAppendWritesAll"] = true, InfraChecks.LedgerRetention),
        ["retention: a locked policy redeclared"] = (t => First(t, "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies").Body["condition"] = "[parameters('enableCheckpointWorm')]", InfraChecks.LedgerRetention),
        ["retention: policy taken as locked by default"] = (t => t.Root["parameters"]!["checkpointPolicyLocked"]!["defaultValue"] = true, InfraChecks.LedgerRetention),
        ["retention: no delete lock"] = (t => Remove(First(t, "Microsoft.Authorization/locks")), InfraChecks.LedgerRetention),
    };

    public static TheoryData<string> BreachNames() => new(Breaches.Keys);

    [Theory]
    [MemberData(nameof(BreachNames))]
    public void Check_TemplateWithBreach_ReportsIt(string breach)
    {
        var (breakIt, check) = Breaches[breach];
        SecurityPropertyTests.Holds(check(compiled.Template));
        var copy = compiled.Template.Copy();

        breakIt(copy);
        var findings = check(copy.Copy());

        Assert.NotEmpty(findings);
    }

    private static ArmResource First(ArmTemplate t, string type) =>
        t.OfType(type).FirstOrDefault() ?? throw new InvalidOperationException($"no {type} to break");

    private static ArmResource Site(ArmTemplate t) => First(t, "Microsoft.Web/sites");

    private static ArmResource Policy(ArmTemplate t, string kind) =>
        t.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").First(r => r.Name.Contains($"'{kind}'", StringComparison.Ordinal));

    private static ArmResource Auth(ArmTemplate t) =>
        t.OfType("Microsoft.Web/sites/config").First(r => r.Name.Contains("'authsettingsV2'", StringComparison.Ordinal));

    private static JsonObject Settings(ArmTemplate t) =>
        t.OfType("Microsoft.Web/sites/config").First(r => r.Name.Contains("'appsettings'", StringComparison.Ordinal)).Properties;

    private static ArmResource Role(ArmTemplate t, string roleId) =>
        t.OfType("Microsoft.Authorization/roleAssignments").First(r => r.Properties["roleDefinitionId"]!.ToString().Contains(roleId, StringComparison.OrdinalIgnoreCase));

    private static void Remove(ArmResource resource)
    {
        switch (resource.Body.Parent)
        {
            case JsonArray array:
                array.Remove(resource.Body);
                break;
            case JsonObject map:
                map.Remove(map.First(p => ReferenceEquals(p.Value, resource.Body)).Key);
                break;
            default:
                throw new InvalidOperationException("the resource has no parent to be removed from");
        }
    }
}

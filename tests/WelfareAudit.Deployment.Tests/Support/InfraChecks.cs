using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WelfareAudit.Deployment.Tests.Support;

/// <summary>
/// The security properties of the deployment, each as a check over the compiled template that lists every
/// breach it finds (empty: the property holds). Kept apart from the tests so the same check can be run on a
/// deliberately broken copy of the template, proving that it would catch the breach.
/// </summary>
public static partial class InfraChecks
{
    public const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    public const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    public const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    public const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    /// <summary>Roles the app's identity must never hold: they would let it write keys or change access.</summary>
    private static readonly Dictionary<string, string> ForbiddenForApp = new(StringComparer.OrdinalIgnoreCase)
    {
        [KeyVaultSecretsOfficer] = "Key Vault Secrets Officer",
        ["00482a5a-887f-4fb3-b363-3b7fe8e74483"] = "Key Vault Administrator",
        ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635"] = "Owner",
        ["b24988ac-6180-42a0-ab88-20f7382dd24c"] = "Contributor",
        ["18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"] = "User Access Administrator",
        ["17d1049b-9a84-46fb-8f53-869881c3d3ab"] = "Storage Account Contributor",
    };

    /// <summary>The settings the app and its reminder timer read (the options classes under functions/WelfareAudit.Infrastructure/Configuration and the reminder settings).</summary>
    public static readonly string[] SettingsTheAppReads =
    [
        "WelfareAudit__Storage__TableServiceUri",
        "WelfareAudit__Storage__TableName",
        "WelfareAudit__Keys__VaultUri",
        "WelfareAudit__Keys__SecretNamePrefix",
        "WelfareAudit__Identity__Credential",
        "WelfareAudit__Identity__ManagedIdentityClientId",
        "REMINDER_SCHEDULE",
        "CHECKPOINT_SCHEDULE",
        "SUPERVISOR_DIGEST_SCHEDULE",
        "WelfareAudit__Reminders__Smtp__Host",
        "WelfareAudit__Reminders__Smtp__Port",
        "WelfareAudit__Reminders__Smtp__From",
        "WelfareAudit__Reminders__Webhook__Url",
        "WelfareAudit__Reminders__Policy__TimeZone",
        "WelfareAudit__Reminders__DefaultTherapistEmail",
        "WelfareAudit__Reminders__SupervisorEmails__0",
        "WelfareAudit__Reminders__PhoneLink",
    ];

    /// <summary>Settings that must not be in the template: owned by the platform, rejected by Flex, or development-only.</summary>
    public static readonly string[] ForbiddenSettings =
    [
        "AzureWebJobsStorage",
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_EXTENSION_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_CONTENTSHARE",
        // Set by the platform when authsettingsV2 turns authentication on; the app trusts the principal
        // header only then. Setting it by hand would make the app trust a header anyone can send.
        "WEBSITE_AUTH_ENABLED",
        "WelfareAudit__Storage__ConnectionString",
        "WelfareAudit__Keys__LocalKeyFile",
    ];

    /// <summary>Names the vault's secrets (welfareaudit-data-key...); the word is in its name, no secret in its value.</summary>
    private const string SecretNamePrefixSetting = "WelfareAudit__Keys__SecretNamePrefix";

    /// <summary>The one connection string the Functions host needs: an address only, since local auth is off.</summary>
    private const string AppInsightsConnectionSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static IReadOnlyList<string> StorageAccounts(ArmTemplate template)
    {
        var findings = new List<string>();
        var accounts = template.OfType("Microsoft.Storage/storageAccounts").ToList();
        if (accounts.Count == 0)
        {
            findings.Add("no storage account in the template");
        }
        foreach (var account in accounts)
        {
            var p = account.Properties;
            // Literals, not parameters: no parameter file may turn these off.
            ExpectLiteral(findings, account, p, "allowSharedKeyAccess", false);
            ExpectLiteral(findings, account, p, "allowBlobPublicAccess", false);
            ExpectLiteral(findings, account, p, "minimumTlsVersion", "TLS1_2");
            ExpectLiteral(findings, account, p, "supportsHttpsTrafficOnly", true);
        }
        foreach (var container in template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"))
        {
            ExpectLiteral(findings, container, container.Properties, "publicAccess", "None");
        }
        return findings;
    }

    public static IReadOnlyList<string> KeyVaults(ArmTemplate template)
    {
        var findings = new List<string>();
        var vaults = template.OfType("Microsoft.KeyVault/vaults").ToList();
        if (vaults.Count == 0)
        {
            findings.Add("no Key Vault in the template");
        }
        foreach (var vault in vaults)
        {
            var p = vault.Properties;
            ExpectLiteral(findings, vault, p, "enableRbacAuthorization", true);
            ExpectLiteral(findings, vault, p, "enableSoftDelete", true);
            ExpectLiteral(findings, vault, p, "softDeleteRetentionInDays", 90);
            ExpectLiteral(findings, vault, p, "enablePurgeProtection", true);
            if (p["accessPolicies"] is JsonArray { Count: > 0 })
            {
                findings.Add($"{vault.Where}: has access policies; access must be Azure RBAC only");
            }
        }
        return findings;
    }

    public static IReadOnlyList<string> FunctionApp(ArmTemplate template)
    {
        var findings = new List<string>();
        var sites = FunctionSites(template).ToList();
        if (sites.Count != 1)
        {
            findings.Add($"expected one function app, found {sites.Count}");
        }
        foreach (var site in sites)
        {
            var p = site.Properties;
            ExpectLiteral(findings, site, p, "httpsOnly", true);
            ExpectLiteral(findings, site, p["siteConfig"] as JsonObject ?? [], "ftpsState", "Disabled", "siteConfig.");
            ExpectLiteral(findings, site, p["siteConfig"] as JsonObject ?? [], "minTlsVersion", "1.2", "siteConfig.");
            var config = p["functionAppConfig"] as JsonObject ?? [];
            var runtime = config["runtime"] as JsonObject ?? [];
            ExpectLiteral(findings, site, runtime, "name", "dotnet-isolated", "functionAppConfig.runtime.");
            ExpectLiteral(findings, site, runtime, "version", "10.0", "functionAppConfig.runtime.");
            var deploymentAuth = config["deployment"]?["storage"]?["authentication"] as JsonObject ?? [];
            ExpectLiteral(findings, site, deploymentAuth, "type", "UserAssignedIdentity", "functionAppConfig.deployment.storage.authentication.");
            if (Text(site.Body["identity"]?["type"]) != "UserAssigned")
            {
                findings.Add($"{site.Where}: identity.type is {Show(site.Body["identity"]?["type"])}, not UserAssigned");
            }
        }
        var plans = template.OfType("Microsoft.Web/serverfarms").ToList();
        if (plans.Count == 0)
        {
            findings.Add("no App Service plan in the template");
        }
        foreach (var plan in plans)
        {
            if (Text(plan.Body["sku"]?["name"]) != "FC1" || Text(plan.Body["sku"]?["tier"]) != "FlexConsumption")
            {
                findings.Add($"{plan.Where}: sku is {Show(plan.Body["sku"])}, not FC1 FlexConsumption");
            }
        }
        foreach (var kind in new[] { "ftp", "scm" })
        {
            var policy = template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").FirstOrDefault(r => NameEndsWith(r, kind));
            if (policy is null)
            {
                findings.Add($"no basicPublishingCredentialsPolicies '{kind}': {kind} basic authentication stays on");
            }
            else
            {
                ExpectLiteral(findings, policy, policy.Properties, "allow", false);
            }
        }
        return findings;
    }

    /// <summary>
    /// Key Vault references in app settings (an SMTP password, a webhook URL: docs/deploy.md) are resolved by
    /// App Service with the system-assigned identity unless keyVaultReferenceIdentity names another. The app
    /// has only its user-assigned identity, so without it the references stay unresolved and the app fails.
    /// </summary>
    public static IReadOnlyList<string> KeyVaultReferences(ArmTemplate template)
    {
        var findings = new List<string>();
        foreach (var site in FunctionSites(template))
        {
            var identity = template.ResolveString(site, site.Properties["keyVaultReferenceIdentity"]);
            if (identity is null || !IsIdentityModuleOutput(identity, "id"))
            {
                findings.Add($"{site.Where}: keyVaultReferenceIdentity is {identity ?? "absent"}, not the user-assigned identity's resource id");
            }
            var assigned = (site.Body["identity"]?["userAssignedIdentities"] as JsonObject ?? []).Select(p => p.Key).ToList();
            var declared = site.Properties["keyVaultReferenceIdentity"]?.ToString();
            if (declared is null || !assigned.Any(key => key == declared || key == $"[format('{{0}}', {declared.Trim('[', ']')})]"))
            {
                findings.Add($"{site.Where}: keyVaultReferenceIdentity {declared ?? "absent"} is not one of the site's userAssignedIdentities [{string.Join(", ", assigned)}]");
            }
        }
        return findings;
    }

    public static IReadOnlyList<string> IdentityBasedHostStorage(ArmTemplate template)
    {
        var findings = new List<string>();
        var settings = AppSettings(template);
        Expect(findings, settings, "AzureWebJobsStorage__credential", v => v == "managedidentity", "managedidentity");
        Expect(findings, settings, "AzureWebJobsStorage__clientId", v => v.Contains("'identity')", StringComparison.Ordinal) && v.Contains(".outputs.clientId", StringComparison.Ordinal),
            "the user-assigned identity's clientId");
        Expect(findings, settings, "AzureWebJobsStorage__blobServiceUri", v => v.Contains("primaryEndpoints.blob", StringComparison.Ordinal), "the host account's blob endpoint");
        foreach (var setting in settings.Where(s => s.Name.StartsWith("AzureWebJobsStorage", StringComparison.OrdinalIgnoreCase)))
        {
            if (!setting.Name.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal) ||
                setting.Name.EndsWith("connectionString", StringComparison.OrdinalIgnoreCase) ||
                setting.Name.EndsWith("accountKey", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add($"{setting.Where}: {setting.Name} is not an identity-based AzureWebJobsStorage__* setting");
            }
        }
        return findings;
    }

    public static IReadOnlyList<string> NoSecretsInAppSettings(ArmTemplate template)
    {
        var findings = new List<string>();
        var settings = AppSettings(template);
        if (settings.Count == 0)
        {
            findings.Add("no app settings found");
        }
        foreach (var setting in settings)
        {
            if (setting.Name == AppInsightsConnectionSetting)
            {
                continue;
            }
            if (SecretLikeName().IsMatch(setting.Name) && setting.Name != SecretNamePrefixSetting)
            {
                findings.Add($"{setting.Where}: the name {setting.Name} says it holds a secret");
            }
            if (SecretLikeValue().IsMatch(setting.Value))
            {
                findings.Add($"{setting.Where}: {setting.Name} = {setting.Value} looks like a key, SAS, connection string or secret reference");
            }
        }
        // The Application Insights connection string is allowed only as an address: read from the component,
        // the component refusing local (key) authentication, and the host told to use Entra ID.
        if (settings.FirstOrDefault(s => s.Name == AppInsightsConnectionSetting) is { } ai)
        {
            if (!AppInsightsConnectionReference().IsMatch(ai.Value))
            {
                findings.Add($"{ai.Where}: {AppInsightsConnectionSetting} = {ai.Value} is not read from the Application Insights component");
            }
            if (settings.FirstOrDefault(s => s.Name == "APPLICATIONINSIGHTS_AUTHENTICATION_STRING") is not { } auth ||
                !auth.Value.Contains("Authorization=AAD", StringComparison.Ordinal))
            {
                findings.Add($"{AppInsightsConnectionSetting} is set without APPLICATIONINSIGHTS_AUTHENTICATION_STRING ...Authorization=AAD");
            }
            findings.AddRange(ApplicationInsights(template));
        }
        foreach (var site in FunctionSites(template))
        {
            if (site.Properties["siteConfig"]?["connectionStrings"] is JsonArray { Count: > 0 })
            {
                findings.Add($"{site.Where}: siteConfig.connectionStrings is set");
            }
        }
        foreach (var config in template.OfType("Microsoft.Web/sites/config").Where(r => NameEndsWith(r, "connectionstrings")))
        {
            findings.Add($"{config.Where}: a connectionstrings config resource");
        }
        return findings;
    }

    public static IReadOnlyList<string> SettingsForTheApp(ArmTemplate template)
    {
        var findings = new List<string>();
        var settings = AppSettings(template);
        foreach (var name in SettingsTheAppReads)
        {
            Expect(findings, settings, name, _ => true, "present");
        }
        Expect(findings, settings, "WelfareAudit__Identity__Credential", v => v == "ManagedIdentity", "ManagedIdentity");
        Expect(findings, settings, "WelfareAudit__Identity__ManagedIdentityClientId", v => v.Contains("'identity')", StringComparison.Ordinal) && v.Contains(".outputs.clientId", StringComparison.Ordinal),
            "the user-assigned identity's clientId");
        Expect(findings, settings, "WelfareAudit__Storage__TableServiceUri", v => v.Contains("'ledger-storage')", StringComparison.Ordinal) && v.Contains(".outputs.tableEndpoint", StringComparison.Ordinal),
            "the ledger account's table endpoint");
        Expect(findings, settings, "WelfareAudit__Keys__VaultUri", v => v.Contains("'key-vault')", StringComparison.Ordinal) && v.Contains(".outputs.uri", StringComparison.Ordinal),
            "the vault's URI");
        Expect(findings, settings, "REMINDER_SCHEDULE", v => v == "0 */15 * * * *", "0 */15 * * * * by default");
        Expect(findings, settings, "WEBSITE_USE_PLACEHOLDER_DOTNETISOLATED", v => v == "0", "0 (the .NET 10 Flex start-up crash workaround)");
        foreach (var name in ForbiddenSettings)
        {
            if (settings.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) is { } bad)
            {
                findings.Add($"{bad.Where}: {name} must not be set");
            }
        }
        return findings;
    }

    public static IReadOnlyList<string> ApplicationInsights(ArmTemplate template)
    {
        var findings = new List<string>();
        var components = template.OfType("Microsoft.Insights/components").ToList();
        if (components.Count == 0)
        {
            findings.Add("no Application Insights component in the template");
        }
        foreach (var component in components)
        {
            ExpectLiteral(findings, component, component.Properties, "DisableLocalAuth", true);
            if (Text(component.Properties["WorkspaceResourceId"]) is null)
            {
                findings.Add($"{component.Where}: not workspace-based (no WorkspaceResourceId)");
            }
        }
        foreach (var workspace in template.OfType("Microsoft.OperationalInsights/workspaces"))
        {
            ExpectLiteral(findings, workspace, workspace.Properties["features"] as JsonObject ?? [], "disableLocalAuth", true, "features.");
        }
        return findings;
    }

    public static IReadOnlyList<string> RoleAssignments(ArmTemplate template)
    {
        var findings = new List<string>();
        var assignments = template.OfType("Microsoft.Authorization/roleAssignments").Select(r => new Assignment(
            r,
            RoleGuid().Match(r.Properties["roleDefinitionId"]?.ToString() ?? "").Value,
            template.ResolveString(r, r.Properties["principalId"]) ?? "",
            r.Body["scope"]?.ToString())).ToList();

        var required = new (string Role, string Name, string Scope)[]
        {
            (StorageTableDataContributor, "Storage Table Data Contributor", "Microsoft.Storage/storageAccounts'"),
            (StorageBlobDataOwner, "Storage Blob Data Owner (Functions host storage, Flex deployment package)", "Microsoft.Storage/storageAccounts'"),
            (KeyVaultSecretsUser, "Key Vault Secrets User", "Microsoft.KeyVault/vaults'"),
            (MonitoringMetricsPublisher, "Monitoring Metrics Publisher", "Microsoft.Insights/components'"),
        };
        foreach (var (role, name, scope) in required)
        {
            if (!assignments.Any(a => a.IsApp && string.Equals(a.Role, role, StringComparison.OrdinalIgnoreCase) && (a.Scope?.Contains(scope, StringComparison.Ordinal) ?? false)))
            {
                findings.Add($"the app's identity lacks {name} on a {scope.TrimEnd('\'')}");
            }
        }

        var officers = assignments.Where(a => string.Equals(a.Role, KeyVaultSecretsOfficer, StringComparison.OrdinalIgnoreCase)).ToList();
        if (!officers.Any(a => a.IsDeployer && (a.Scope?.Contains("Microsoft.KeyVault/vaults'", StringComparison.Ordinal) ?? false)))
        {
            findings.Add("the deploying principal (main.bicep parameter principalId) lacks Key Vault Secrets Officer on the vault");
        }
        foreach (var officer in officers.Where(a => !a.IsDeployer))
        {
            findings.Add($"{officer.Resource.Where}: Key Vault Secrets Officer for {officer.Principal}; only the deploying principal may hold it");
        }
        foreach (var a in assignments)
        {
            if (a.IsApp && ForbiddenForApp.TryGetValue(a.Role, out var forbidden))
            {
                findings.Add($"{a.Resource.Where}: the app's identity holds {forbidden}");
            }
            if (a.Scope is null)
            {
                findings.Add($"{a.Resource.Where}: role {a.Role} assigned on the whole resource group; scope it to one resource");
            }
        }
        return findings;
    }

    public static IReadOnlyList<string> Authentication(ArmTemplate template)
    {
        var findings = new List<string>();
        var auth = template.OfType("Microsoft.Web/sites/config").Where(r => NameEndsWith(r, "authsettingsV2")).ToList();
        if (auth.Count != 1)
        {
            findings.Add($"expected one authsettingsV2, found {auth.Count}");
            return findings;
        }
        var a = auth[0];
        var p = a.Properties;
        ExpectLiteral(findings, a, p["platform"] as JsonObject ?? [], "enabled", true, "platform.");
        var global = p["globalValidation"] as JsonObject ?? [];
        ExpectLiteral(findings, a, global, "requireAuthentication", true, "globalValidation.");
        var action = Text(global["unauthenticatedClientAction"]);
        if (action is not ("RedirectToLoginPage" or "Return401" or "Return403"))
        {
            findings.Add($"{a.Where}: globalValidation.unauthenticatedClientAction is {Show(global["unauthenticatedClientAction"])}; anonymous callers must be refused");
        }
        var excluded = (global["excludedPaths"] as JsonArray ?? []).Select(n => n?.ToString()).ToList();
        if (excluded.Count != 1 || excluded[0] != "/api/health")
        {
            findings.Add($"{a.Where}: excludedPaths is [{string.Join(", ", excluded)}]; only /api/health may skip sign-in");
        }
        ExpectLiteral(findings, a, p["httpSettings"] as JsonObject ?? [], "requireHttps", true, "httpSettings.");
        var entra = p["identityProviders"]?["azureActiveDirectory"] as JsonObject ?? [];
        ExpectLiteral(findings, a, entra, "enabled", true, "identityProviders.azureActiveDirectory.");
        var registration = entra["registration"] as JsonObject ?? [];
        var clientId = template.ResolveString(a, registration["clientId"]);
        if (clientId != "[parameters('authClientId')]")
        {
            findings.Add($"{a.Where}: the Entra client id is {clientId ?? "absent"}, not main.bicep's authClientId parameter");
        }
        if (registration["clientSecretSettingName"] is not null || registration["clientSecretCertificateThumbprint"] is not null)
        {
            findings.Add($"{a.Where}: the Entra registration uses a client secret or certificate; the deployment is keyless");
        }
        if (template.Root["parameters"]?["authClientId"]?["defaultValue"] is not null)
        {
            findings.Add("main.bicep's authClientId has a default; it must be given per deployment");
        }
        return findings;
    }

    public static IReadOnlyList<string> Outputs(ArmTemplate template)
    {
        var findings = new List<string>();
        foreach (var output in template.Outputs)
        {
            var type = output.Body["type"]?.ToString() ?? "";
            var value = output.Body["value"]?.ToJsonString() ?? "";
            if (type.StartsWith("secure", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add($"{output.Where}: a {type} output");
            }
            if (SecretLikeOutputName().IsMatch(output.Name))
            {
                findings.Add($"{output.Where}: the name looks like a secret, key or connection string");
            }
            if (SecretLikeValue().IsMatch(value) || value.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) ||
                value.Contains("primaryKey", StringComparison.OrdinalIgnoreCase) || value.Contains("InstrumentationKey", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add($"{output.Where}: the value {value} reads a key, connection string or secret");
            }
        }
        return findings;
    }

    public static IReadOnlyList<string> LedgerRetention(ArmTemplate template)
    {
        var findings = new List<string>();
        var policies = template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies").ToList();
        if (policies.Count == 0)
        {
            findings.Add("no immutability (WORM) policy for the checkpoint container");
        }
        foreach (var policy in policies)
        {
            // Azure refuses every change but "extend" to a locked policy: once the operator has locked it
            // (docs/deploy.md), main.bicep's checkpointPolicyLocked must drop it from the deployment.
            var condition = policy.Body["condition"]?.ToString() ?? "";
            if (!condition.Contains("not(parameters('checkpointPolicyLocked'))", StringComparison.Ordinal))
            {
                findings.Add($"{policy.Where}: condition {(condition.Length == 0 ? "absent" : condition)} does not leave a locked policy alone (not(parameters('checkpointPolicyLocked')))");
            }
            // One block blob per anchored checkpoint, never appended to: appends stay off, so that an append blob
            // created under an anchor's name before the app writes it cannot be filled in later.
            ExpectLiteral(findings, policy, policy.Properties, "allowProtectedAppendWrites", false);
            ExpectLiteral(findings, policy, policy.Properties, "allowProtectedAppendWritesAll", false);
            var days = template.Resolve(policy, policy.Properties["immutabilityPeriodSinceCreationInDays"], useDefaults: true);
            if (days is not JsonValue v || !v.TryGetValue<int>(out var d) || d < 2190)
            {
                findings.Add($"{policy.Where}: immutability period {Show(days)} is under six years (2190 days)");
            }
        }
        if (template.Root["parameters"]?["checkpointPolicyLocked"]?["defaultValue"] is not JsonValue locked || !locked.TryGetValue<bool>(out var lockedByDefault) || lockedByDefault)
        {
            findings.Add("main.bicep's checkpointPolicyLocked must default to false: a new deployment declares the policy");
        }
        var locks = template.OfType("Microsoft.Authorization/locks").Where(l =>
            Text(l.Properties["level"]) == "CanNotDelete" && (l.Body["scope"]?.ToString().Contains("Microsoft.Storage/storageAccounts'", StringComparison.Ordinal) ?? false)).ToList();
        if (locks.Count == 0)
        {
            findings.Add("no CanNotDelete lock on the ledger storage account");
        }
        return findings;
    }

    public static IReadOnlyList<AppSetting> AppSettings(ArmTemplate template)
    {
        var settings = new List<AppSetting>();
        foreach (var config in template.OfType("Microsoft.Web/sites/config").Where(r => NameEndsWith(r, "appsettings")))
        {
            foreach (var (name, value) in config.Properties)
            {
                settings.Add(new AppSetting(name, template.ResolveString(config, value, useDefaults: true) ?? "", config.Where));
            }
        }
        foreach (var site in FunctionSites(template))
        {
            foreach (var item in (site.Properties["siteConfig"]?["appSettings"] as JsonArray ?? []).OfType<JsonObject>())
            {
                settings.Add(new AppSetting(item["name"]?.ToString() ?? "", template.ResolveString(site, item["value"], useDefaults: true) ?? "", site.Where));
            }
        }
        return settings;
    }

    private static IEnumerable<ArmResource> FunctionSites(ArmTemplate template) =>
        template.OfType("Microsoft.Web/sites").Where(s => Text(s.Body["kind"])?.Contains("functionapp", StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>The value is an output of main.bicep's <c>identity</c> module (the app's user-assigned identity).</summary>
    private static bool IsIdentityModuleOutput(string value, string output) =>
        value.Contains("'identity')", StringComparison.Ordinal) && value.Contains($".outputs.{output}.value]", StringComparison.Ordinal);

    private static bool NameEndsWith(ArmResource resource, string last) =>
        resource.Name.TrimEnd(']', ')').EndsWith($"'{last}'", StringComparison.OrdinalIgnoreCase) ||
        resource.Name.EndsWith($"/{last}", StringComparison.OrdinalIgnoreCase);

    private static void Expect(List<string> findings, IReadOnlyList<AppSetting> settings, string name, Func<string, bool> ok, string expected)
    {
        var setting = settings.FirstOrDefault(s => s.Name == name);
        if (setting is null)
        {
            findings.Add($"app setting {name} is missing (expected {expected})");
        }
        else if (setting.Value.Length == 0 && expected != "present")
        {
            findings.Add($"{setting.Where}: app setting {name} is empty (expected {expected})");
        }
        else if (!ok(setting.Value))
        {
            findings.Add($"{setting.Where}: app setting {name} = {setting.Value} (expected {expected})");
        }
    }

    private static void ExpectLiteral(List<string> findings, ArmResource resource, JsonObject properties, string name, object expected, string prefix = "")
    {
        var actual = properties[name];
        var matches = expected switch
        {
            bool b => actual is JsonValue v && v.TryGetValue<bool>(out var x) && x == b,
            int i => actual is JsonValue v && v.TryGetValue<int>(out var x) && x == i,
            string s => actual is JsonValue v && v.TryGetValue<string>(out var x) && x == s,
            _ => false,
        };
        if (!matches)
        {
            findings.Add($"{resource.Where}: {prefix}{name} is {Show(actual)}, not the literal {(expected is bool b2 ? (b2 ? "true" : "false") : expected)}");
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "absent";

    // The KEY in AZURE_KEY_VAULT_URI names the vault, not a key.
    [GeneratedRegex(@"(?i)secret|password|passwd|connection_?string|account_?key|access_?key|instrumentation_?key|api_?key|private_?key|primary_?key|sas_?token|(^|_)sas(_|$)|token|credential|key(?!_?vault)(?!s__)")]
    private static partial Regex SecretLikeOutputName();

    [GeneratedRegex(@"(?i)secret|password|passwd|connection_?string|account_?key|access_?key|instrumentation_?key|api_?key|private_?key|sas_?token|client_?secret")]
    private static partial Regex SecretLikeName();

    [GeneratedRegex(@"(?i)listkeys\(|listsecrets\(|listaccountsas\(|listservicesas\(|listcredentials\(|accountkey=|sharedaccesskey=|sharedaccesssignature|[?&]sig=|defaultendpointsprotocol=|@microsoft\.keyvault\(|instrumentationkey=|password=|\.connectionstring|connectionstrings")]
    private static partial Regex SecretLikeValue();

    [GeneratedRegex(@"^\[reference\(resourceId\('Microsoft\.Insights/components', [^\]]*\)\.ConnectionString\]$")]
    private static partial Regex AppInsightsConnectionReference();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex RoleGuid();

    private sealed record Assignment(ArmResource Resource, string Role, string Principal, string? Scope)
    {
        /// <summary>The principal is the principalId output of the identity module (the app's identity).</summary>
        public bool IsApp => Principal.Contains("'identity')", StringComparison.Ordinal) && Principal.Contains(".outputs.principalId", StringComparison.Ordinal);

        /// <summary>The principal is main.bicep's principalId parameter (the person or pipeline deploying).</summary>
        public bool IsDeployer => Principal == "[parameters('principalId')]";
    }
}

public sealed record AppSetting(string Name, string Value, string Where);

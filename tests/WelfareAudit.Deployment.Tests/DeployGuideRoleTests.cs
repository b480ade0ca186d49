using System.Text.RegularExpressions;
using WelfareAudit.Deployment.Tests.Support;
using WelfareAudit.Testing;

namespace WelfareAudit.Deployment.Tests;

/// <summary>
/// The roles docs/deploy.md names, against what the compiled template assigns and what each step needs.
/// </summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed partial class DeployGuideRoleTests(CompiledTemplateFixture compiled)
{
    private static readonly Dictionary<string, string> RoleIds = new(StringComparer.Ordinal)
    {
        ["Storage Blob Data Owner"] = InfraChecks.StorageBlobDataOwner,
        ["Storage Blob Data Contributor"] = InfraChecks.StorageBlobDataContributor,
        ["Storage Table Data Contributor"] = InfraChecks.StorageTableDataContributor,
        ["Key Vault Secrets User"] = InfraChecks.KeyVaultSecretsUser,
        ["Key Vault Secrets Officer"] = InfraChecks.KeyVaultSecretsOfficer,
        ["Monitoring Metrics Publisher"] = InfraChecks.MonitoringMetricsPublisher,
    };

    /// <summary>How the guide names a scope (the resource name prefix), and the scope in the compiled template.</summary>
    private static readonly (string Named, string Scope)[] Scopes =
    [
        ("`sthost…`", "resourceId('Microsoft.Storage/storageAccounts', parameters('hostStorageName'))"),
        ("`stledger…`", "resourceId('Microsoft.Storage/storageAccounts', parameters('ledgerStorageName'))"),
        ("`checkpoints`", "resourceId('Microsoft.Storage/storageAccounts/blobServices/containers'"),
        ("`kv-…`", "resourceId('Microsoft.KeyVault/vaults'"),
        ("`appi-…`", "resourceId('Microsoft.Insights/components'"),
    ];

    [Fact]
    public void RolesTable_DeployGuide_IsExactlyTheRoleAssignmentsOfTheTemplate()
    {
        var documented = Section("## Roles").Split('\n')
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length == 6 && RoleIds.ContainsKey(cells[2]))
            .Select(cells => $"{Principal(cells[1])} {cells[2]} on {ScopeNamed(cells[3])}")
            .Order(StringComparer.Ordinal)
            .ToList();

        var assigned = compiled.Template.OfType("Microsoft.Authorization/roleAssignments")
            .Select(r => $"{Principal(compiled.Template.ResolveString(r, r.Properties["principalId"]) ?? "")} " +
                $"{RoleIds.Single(p => r.Properties["roleDefinitionId"]!.ToString().Contains(p.Value, StringComparison.OrdinalIgnoreCase)).Key} " +
                $"on {Scopes.Single(s => r.Body["scope"]!.ToString().Contains(s.Scope, StringComparison.Ordinal)).Named}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(assigned, documented);
    }

    [Fact]
    public void Prerequisites_SubscriptionRole_MayCreateTheLedgerDeleteLock()
    {
        Assert.NotEmpty(compiled.Template.OfType("Microsoft.Authorization/locks"));
        var bullet = Assert.Single(Section("## Prerequisites").Split("\n- "), b => b.Contains("Azure subscription", StringComparison.Ordinal));
        var offered = bullet[..bullet.IndexOf(':', StringComparison.Ordinal)]; // "... you are **Owner** (or ...): why"

        // Creating a lock needs Microsoft.Authorization/locks/write: of the built-in roles only Owner and User
        // Access Administrator have it. Role Based Access Control Administrator may assign roles but not lock.
        Assert.Contains("**Owner**", offered, StringComparison.Ordinal);
        Assert.DoesNotContain("Role Based Access Control Administrator", offered, StringComparison.Ordinal);
        Assert.All(ContributorPlus().Matches(offered), m => Assert.Equal("User Access Administrator", m.Groups[1].Value));
    }

    private static string Principal(string text) =>
        text.Contains("'identity')", StringComparison.Ordinal) || text.Contains("app's identity", StringComparison.Ordinal) ? "app"
        : text.Contains("principalId')", StringComparison.Ordinal) || text.Contains("AZURE_PRINCIPAL_ID", StringComparison.Ordinal) ? "deployer"
        : $"unknown principal {text}";

    private static string ScopeNamed(string cell) =>
        Scopes.Where(s => cell.Contains(s.Named, StringComparison.Ordinal)).Select(s => s.Named).SingleOrDefault() ?? $"unknown scope {cell}";

    private static string Section(string heading)
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "deploy.md"));
        var start = guide.IndexOf($"\n{heading}", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/deploy.md has no section '{heading}'");
        var end = guide.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return guide[start..(end < 0 ? guide.Length : end)];
    }

    [GeneratedRegex(@"Contributor \+ ([A-Za-z ]+?Administrator)")]
    private static partial Regex ContributorPlus();
}

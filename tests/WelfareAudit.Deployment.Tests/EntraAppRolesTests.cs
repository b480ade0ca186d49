using System.Text.Json.Nodes;
using WelfareAudit.Core.Identity;
using WelfareAudit.Testing;

namespace WelfareAudit.Deployment.Tests;

/// <summary>
/// Bicep cannot create the Entra app registration offline, so docs/deploy.md creates it with the az CLI from
/// infra/entra/app-roles.json. The roles claim values must be exactly the names the app parses (case-sensitive).
/// </summary>
public sealed class EntraAppRolesTests
{
    [Fact]
    public void AppRoles_File_AreExactlyTheRolesTheAppParses()
    {
        var roles = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "infra", "entra", "app-roles.json")))!.AsArray();

        var values = roles.Select(r => r!["value"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(Enum.GetNames<Role>().Order(StringComparer.Ordinal), values);
    }

    [Fact]
    public void AppRoles_File_UserAssignableEnabledWithDistinctIds()
    {
        var roles = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "infra", "entra", "app-roles.json")))!.AsArray();

        Assert.All(roles, r =>
        {
            Assert.Equal(["User"], r!["allowedMemberTypes"]!.AsArray().Select(m => m!.GetValue<string>()));
            Assert.True(r["isEnabled"]!.GetValue<bool>());
            Assert.True(Guid.TryParse(r["id"]!.GetValue<string>(), out _));
        });
        Assert.Equal(roles.Count, roles.Select(r => r!["id"]!.GetValue<string>()).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}

using System.Text.Json.Nodes;
using WelfareAudit.Deployment.Tests.Support;

namespace WelfareAudit.Deployment.Tests;

/// <summary>
/// Parameters that change what gets deployed, checked on what the Bicep CLI predicts for each value
/// (<see cref="DeploymentSnapshot"/>), not on the compiled template, which holds every variant at once.
/// </summary>
[Collection(DeploymentSnapshotCollection.Name)]
public sealed class DeploymentVariantTests(DeploymentSnapshotFixture snapshots)
{
    private const string ImmutabilityPolicy = "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies";

    [Fact]
    public void CheckpointPolicyLocked_Default_DeclaresTheSixYearPolicyWithoutAppends()
    {
        var policy = Assert.Single(snapshots.Defaults.OfType(ImmutabilityPolicy));

        Assert.EndsWith("/checkpoints/default", policy["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2190, policy["properties"]!["immutabilityPeriodSinceCreationInDays"]!.GetValue<int>());
        // Anchors are block blobs written once (If-None-Match: *): nothing may append to a blob under the policy.
        Assert.False(policy["properties"]!["allowProtectedAppendWrites"]!.GetValue<bool>());
        Assert.False(policy["properties"]!["allowProtectedAppendWritesAll"]!.GetValue<bool>());
    }

    [Fact]
    public void CheckpointPolicyLocked_True_LeavesThePolicyAloneAndKeepsContainerLockAndRole()
    {
        var snapshot = snapshots.Changed;

        // Azure allows only "extend" on a locked policy: redeclaring it would fail every later provision.
        Assert.Empty(snapshot.OfType(ImmutabilityPolicy));
        Assert.Single(snapshot.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => c["name"]!.GetValue<string>().StartsWith("stledger", StringComparison.Ordinal) && c["name"]!.GetValue<string>().EndsWith("/checkpoints", StringComparison.Ordinal));
        Assert.Single(snapshot.OfType("Microsoft.Authorization/locks"), l => l["properties"]!["level"]!.GetValue<string>() == "CanNotDelete");
        Assert.Single(snapshot.OfType("Microsoft.Authorization/roleAssignments"),
            r => r["properties"]!["roleDefinitionId"]!.GetValue<string>().EndsWith(InfraChecks.StorageBlobDataContributor, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void AccessTokenAcceptedVersion_Default2_AcceptsTheV2IssuerOfTheTenant()
    {
        var entra = Entra(snapshots.Defaults);

        // login.microsoftonline.com in the public cloud; environment() is known only at deployment.
        Assert.Equal($"[format('{{0}}{{1}}/v2.0', environment().authentication.loginEndpoint, '{DeploymentSnapshot.TenantId}')]",
            entra["registration"]!["openIdIssuer"]!.GetValue<string>());
        Assert.Equal([DeploymentSnapshot.AuthClientId, $"api://{DeploymentSnapshot.AuthClientId}"], Audiences(entra));
    }

    [Fact]
    public void AccessTokenAcceptedVersion_1_AcceptsTheV1IssuerOfTheTenant()
    {
        var entra = Entra(snapshots.Changed);

        Assert.Equal($"https://sts.windows.net/{DeploymentSnapshot.TenantId}/", entra["registration"]!["openIdIssuer"]!.GetValue<string>());
        Assert.Equal([DeploymentSnapshot.AuthClientId, $"api://{DeploymentSnapshot.AuthClientId}"], Audiences(entra));
    }

    [Fact]
    public void Site_Defaults_KeyVaultReferenceIdentityIsItsUserAssignedIdentity()
    {
        var site = Assert.Single(snapshots.Defaults.OfType("Microsoft.Web/sites"));

        var assigned = Assert.Single(site["identity"]!["userAssignedIdentities"]!.AsObject()).Key;
        Assert.Contains("/providers/Microsoft.ManagedIdentity/userAssignedIdentities/", assigned, StringComparison.Ordinal);
        Assert.Equal(assigned, site["properties"]!["keyVaultReferenceIdentity"]?.GetValue<string>());
    }

    private static JsonObject Entra(DeploymentSnapshot snapshot) =>
        snapshot.Single("Microsoft.Web/sites/config", "/authsettingsV2")["properties"]!["identityProviders"]!["azureActiveDirectory"]!.AsObject();

    private static IEnumerable<string> Audiences(JsonObject entra) =>
        entra["validation"]!["allowedAudiences"]!.AsArray().Select(a => a!.GetValue<string>());
}

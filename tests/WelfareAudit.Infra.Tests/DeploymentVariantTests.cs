using System.Text.Json.Nodes;
using WelfareAudit.Infra.Tests.Support;

namespace WelfareAudit.Infra.Tests;

/// <summary>
/// Parameters that change what gets deployed, checked on what the Bicep CLI predicts for each value
/// (<see cref="DeploymentSnapshot"/>), not on the compiled template, which holds every variant at once.
/// </summary>
[Collection(DeploymentSnapshotCollection.Name)]
public sealed class DeploymentVariantTests(DeploymentSnapshotFixture snapshots)
{
    private const string ImmutabilityPolicy = "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies";

    [Fact]
    public void CheckpointPolicyLocked_Default_DeclaresTheSixYearPolicyWithProtectedAppends()
    {
        var policy = Assert.Single(snapshots.Defaults.OfType(ImmutabilityPolicy));

        Assert.EndsWith("/checkpoints/default", policy["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2190, policy["properties"]!["immutabilityPeriodSinceCreationInDays"]!.GetValue<int>());
        Assert.True(policy["properties"]!["allowProtectedAppendWrites"]!.GetValue<bool>());
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
    public void Site_Defaults_KeyVaultReferenceIdentityIsItsUserAssignedIdentity()
    {
        var site = Assert.Single(snapshots.Defaults.OfType("Microsoft.Web/sites"));

        var assigned = Assert.Single(site["identity"]!["userAssignedIdentities"]!.AsObject()).Key;
        Assert.Contains("/providers/Microsoft.ManagedIdentity/userAssignedIdentities/", assigned, StringComparison.Ordinal);
        Assert.Equal(assigned, site["properties"]!["keyVaultReferenceIdentity"]?.GetValue<string>());
    }
}

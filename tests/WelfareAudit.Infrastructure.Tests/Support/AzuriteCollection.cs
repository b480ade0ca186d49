using WelfareAudit.Testing;

namespace WelfareAudit.Infrastructure.Tests.Support;

/// <summary>The storage tests of this assembly share one Azurite (<see cref="AzuriteFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = AzuriteFixture.Collection;
}

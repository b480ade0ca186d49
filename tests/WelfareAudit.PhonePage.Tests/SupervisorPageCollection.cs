namespace WelfareAudit.PhonePage.Tests;

/// <summary>The supervisor page's tests share one host, whose clock they move; apart from the phone page's.</summary>
[CollectionDefinition(Name)]
public sealed class SupervisorPageCollection : ICollectionFixture<SupervisorPageFixture>
{
    public const string Name = "SupervisorPage";
}

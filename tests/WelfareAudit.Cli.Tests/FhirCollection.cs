using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// The FHIR export and Firely's validator (seconds to load the R4 specification) with an Azurite of its own,
/// so it runs beside the other Azurite tests instead of holding up their collection. Its searches go to a
/// table of their own anyway.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FhirCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite: FHIR validation";
}

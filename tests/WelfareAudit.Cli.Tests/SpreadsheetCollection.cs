using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// The CSV opened in LibreOffice Calc (seconds per start) with an Azurite of its own, so it runs beside the
/// other Azurite tests instead of holding up their collection. Its searches go to a table of their own anyway.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SpreadsheetCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite: CSV in LibreOffice";
}

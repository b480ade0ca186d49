namespace WelfareAudit.LocalHost.Tests;

/// <summary>
/// The report opened in Chromium (seconds of browser start, rendering and printing) on a local host and
/// Azurite of its own, so it runs beside the other local host tests instead of holding up their collection.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AuditReportBrowserCollection : ICollectionFixture<LocalHostFixture>
{
    public const string Name = "LocalHost: report in Chromium";
}

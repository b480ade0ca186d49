using WelfareAudit.Testing;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Cli.Tests;

/// <summary>The export formats are one seam: a format is a class and a registration, and nothing else changes.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExportFormatRegistryTests(AzuriteFixture azurite)
{
    /// <summary>A format only this test knows: the exported ledgers, one per line.</summary>
    private sealed class LedgerListFormat : IAuditExportFormat
    {
        public string Name => "ledgers";

        public string ContentType => "text/plain; charset=utf-8";

        public string FileExtension => "txt";

        public async Task<IReadOnlyDictionary<string, long>> WriteAsync(AuditExport export, Stream output, CancellationToken cancellationToken)
        {
            await output.WriteAsync(Encoding.UTF8.GetBytes(string.Concat(export.Ledgers.Select(l => l.LedgerId + "\n"))), cancellationToken);
            return export.Ledgers.ToDictionary(l => l.LedgerId, _ => 1L, StringComparer.Ordinal);
        }
    }

    [Fact]
    public async Task Formats_BuiltIn_BundleCsvFhirHtml()
    {
        await using var world = new AuditWorld(azurite);

        Assert.Equal(["bundle", "csv", "fhir", "html"], world.Exports.Formats.Names);
    }

    [Fact]
    public async Task ExportAsync_FormatRegisteredInDi_AcceptedWrittenAndRecordedLikeTheOthers()
    {
        await using var world = new AuditWorld(azurite, s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditExportFormat, LedgerListFormat>()));
        await world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-FMT");
        var request = AuditExportRequest.Parse(null, null, null, "ledgers", null, world.Exports.Formats);

        var export = await world.Exports.PrepareAsync(AuditWorld.Supervisor, request, default);
        var path = await world.ExportAsync(request, "ledgers.txt");

        Assert.EndsWith(".txt", export.FileName, StringComparison.Ordinal);
        Assert.Equal("text/plain; charset=utf-8", export.ContentType);
        Assert.Equal(AuditWorld.TherapistA + "\n", await File.ReadAllTextAsync(path));
        var recorded = Assert.IsType<AuditExported>((await world.Ledger.ReadAsync(AuditWorld.TherapistA, 1, null, default).LastAsync()).Event);
        Assert.Equal("ledgers", recorded.Format);
        Assert.Equal(1, recorded.Count);
        var unknown = Assert.Throws<ValidationFailedException>(() => AuditExportRequest.Parse(null, null, null, "xml", null, world.Exports.Formats));
        Assert.Equal(["must be one of: bundle, csv, fhir, html, ledgers"], unknown.Errors.ToDictionary()["format"]);
    }

    [Fact]
    public async Task PrepareAsync_UnknownFormatBuiltInCode_RefusedNamingTheParameter()
    {
        await using var world = new AuditWorld(azurite);
        await world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-FMT2");

        var e = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            world.Exports.PrepareAsync(AuditWorld.Supervisor, new AuditExportRequest(null, null, null, "xml", false), default));

        Assert.Equal(["must be one of: bundle, csv, fhir, html"], e.Errors.ToDictionary()["format"]);
    }
}

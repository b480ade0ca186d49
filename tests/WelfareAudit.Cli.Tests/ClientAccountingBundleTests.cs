using System.Text;
using System.Text.Json.Nodes;
using WelfareAudit.Core.Accounting;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// The client accounting bundle from a real ledger (Azurite, local key file, the product's DI), verified by
/// <c>welfare-audit verify</c> in-process: it verifies across an index key rotation, discloses one client only, and a
/// file into which another client's genuine entry (with its genuine salt, so the chain still holds) is copied fails.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ClientAccountingBundleTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly Caller TherapistA = new(AuditWorld.TherapistA, new HashSet<Role> { Role.Therapist });
    private readonly AuditWorld _world = new(azurite);

    public async Task InitializeAsync()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-A1");
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-A2");
        // After the index key is rotated the same client has another blind index: the accounting must still find them.
        await _world.Service<IKeyRing>().RotateAsync(KeyPurpose.Index, default);
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, " client-a1 ", discuss: false);
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistB, "CLIENT-A1");
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<(ClientAccounting Accounting, string Bundle)> AccountingBundleAsync(string clientRef)
    {
        var service = _world.Service<ClientAccountingService>();
        var accounting = await service.PrepareAsync(TherapistA, new ClientAccountingRequest(clientRef, ClientAccountingFormat.Bundle), default);
        var path = Path.Combine(_world.Folder, "accounting.bundle.jsonl");
        await using (var file = File.Create(path))
        {
            await service.WriteBundleAsync(accounting, null, file, default);
        }
        return (accounting, path);
    }

    [Fact]
    public async Task Verify_ClientAccountingBundleAcrossAnIndexKeyRotation_ExitsZeroAndHoldsNoOtherClient()
    {
        var (accounting, bundle) = await AccountingBundleAsync("CLIENT-A1");

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await _world.PublicKeyFileAsync());

        Assert.True(run.ExitCode == CliApp.Ok, run.Out + run.Error);
        Assert.StartsWith("OK: ", run.Out, StringComparison.Ordinal);
        Assert.Contains("client accounting: discloses the events of one client only", run.Out, StringComparison.Ordinal);
        Assert.Equal(2, accounting.Searches.Count);
        Assert.Equal(2, accounting.ClientIndexes.Count);
        Assert.Equal([AuditWorld.TherapistA], accounting.Ledgers.Select(l => l.LedgerId));
        var text = await File.ReadAllTextAsync(bundle);
        Assert.DoesNotContain("CLIENT-A2", text, StringComparison.Ordinal);
        Assert.DoesNotContain(AuditWorld.TherapistB, text, StringComparison.Ordinal);
        Assert.Contains("\"value\":\" client-a1 \"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FhirExport_ClientAccountingProvided_IsAConformingExportAuditEvent()
    {
        var service = _world.Service<ClientAccountingService>();
        var accounting = await service.PrepareAsync(TherapistA, new ClientAccountingRequest("CLIENT-A1", ClientAccountingFormat.Html), default);
        await service.RecordAsync(accounting, null, default);

        var path = await _world.ExportAsync(new AuditExportRequest(null, null, AuditWorld.TherapistA, AuditFormat.Fhir, false), "accounting.fhir.json");

        var text = await File.ReadAllTextAsync(path);
        Assert.Empty(FhirValidation.Problems(text));
        var provided = JsonNode.Parse(text)!["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => r["outcomeDesc"]!.GetValue<string>() == "ClientAccountingProvided");
        Assert.Equal("110106", provided["type"]!["code"]!.GetValue<string>());
        Assert.Equal("R", provided["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_AnotherClientsGenuineEntryCopiedIntoTheFile_FailsDisclosureBroken()
    {
        var (_, bundle) = await AccountingBundleAsync("CLIENT-A1");
        var full = await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA), "full.bundle.jsonl");
        // The full export discloses every field with its salt; take CLIENT-A2's logged search from it.
        var theirs = (await File.ReadAllLinesAsync(full)).Single(l => l.Contains("\"value\":\"CLIENT-A2\"", StringComparison.Ordinal));
        var sequence = JsonNode.Parse(theirs)!["sequence"]!.GetValue<long>();
        var lines = await File.ReadAllLinesAsync(bundle);
        var at = Array.FindIndex(lines, l => l.Contains("\"kind\":\"event\"", StringComparison.Ordinal) && JsonNode.Parse(l)!["sequence"]!.GetValue<long>() == sequence);
        lines[at] = theirs;
        await File.WriteAllTextAsync(bundle, string.Join("\n", lines) + "\n", new UTF8Encoding(false));

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await _world.PublicKeyFileAsync());

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith("FAILED: DisclosureBroken", run.Out, StringComparison.Ordinal);
        Assert.Contains($"sequence {sequence}", run.Out, StringComparison.Ordinal);
    }
}

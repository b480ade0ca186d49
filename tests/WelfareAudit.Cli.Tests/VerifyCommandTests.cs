using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// Export from a real ledger (Azurite, local key file, the product's DI), then <c>welfare-audit verify</c>
/// in-process: a faithful bundle passes; every kind of tampering fails and is named.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class VerifyCommandTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly AuditWorld _world = new(azurite);

    public async Task InitializeAsync()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-A1");
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-A2");
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistB, "CLIENT-B1");
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<(string Bundle, string Key)> ExportAsync(string? therapist = null, bool withhold = false)
    {
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(therapist, withhold: withhold));
        return (bundle, await _world.PublicKeyFileAsync());
    }

    private static async Task<string> FailsAsync(string bundle, string? key, BundleProblemKind kind)
    {
        var run = key is null ? await CliRun.RunAsync("verify", bundle) : await CliRun.RunAsync("verify", bundle, "--public-key", key);
        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith($"FAILED: {kind}", run.Out, StringComparison.Ordinal);
        return run.Out;
    }

    [Theory]
    [InlineData(AuditWorld.TherapistA)]
    [InlineData(AuditWorld.TherapistB)]
    [InlineData(null)]
    public async Task Verify_FaithfulExport_ExitsZeroWithSummary(string? therapist)
    {
        var (bundle, key) = await ExportAsync(therapist);

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", key);

        Assert.Equal(CliApp.Ok, run.ExitCode);
        Assert.StartsWith("OK: ", run.Out, StringComparison.Ordinal);
        Assert.Contains(therapist ?? AuditWorld.TherapistB, run.Out, StringComparison.Ordinal);
        Assert.Contains("The signing key is the public key given", run.Out, StringComparison.Ordinal);
        // Client codes are disclosed (value and salt) unless withheld.
        Assert.Equal(therapist != AuditWorld.TherapistB, File.ReadAllText(bundle).Contains("\"value\":\"CLIENT-A1\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_WithheldClientCodes_VerifiesAndNoCodeIsInTheFile()
    {
        var (bundle, key) = await ExportAsync(withhold: true);

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", key);

        Assert.Equal(CliApp.Ok, run.ExitCode);
        var text = File.ReadAllText(bundle);
        Assert.DoesNotContain("CLIENT-A1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CLIENT-B1", text, StringComparison.Ordinal);
        Assert.Contains("\"pseudonym\":\"C-", text, StringComparison.Ordinal);
        Assert.Contains("No reply by phone or email", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WithheldClientCodes_PseudonymsDifferPerExportButAgreeWithinOne()
    {
        var first = BundleTampering.Lines(await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA, withhold: true), "one.jsonl"));
        var second = BundleTampering.Lines(await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA, withhold: true), "two.jsonl"));

        static List<string> Pseudonyms(List<string> lines) => [.. lines.Select(l => JsonNode.Parse(l)!)
            .Where(n => (string?)n["type"] == EventTypes.SearchLogged)
            .Select(n => (string)n["withheld"]!["clientRef"]!["pseudonym"]!)];

        var a = Pseudonyms(first);
        var b = Pseudonyms(second);
        Assert.Equal(2, a.Count);
        Assert.NotEqual(a[0], a[1]);
        Assert.Empty(a.Intersect(b));
    }

    [Fact]
    public async Task Verify_NoPublicKeyGiven_PassesButWarns()
    {
        var (bundle, _) = await ExportAsync();

        var run = await CliRun.RunAsync("verify", bundle);

        Assert.Equal(CliApp.Ok, run.ExitCode);
        Assert.Contains("WARNING: no --public-key", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DisclosedValueChanged_NamesChainBrokenAtThatSequence()
    {
        var (bundle, key) = await ExportAsync(AuditWorld.TherapistA);
        BundleTampering.EditEvent(bundle, 1, e => e["disclosed"]!["justification"]!["value"] = "A routine check.");

        var output = await FailsAsync(bundle, key, BundleProblemKind.ChainBroken);

        Assert.Contains("at sequence 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ClearFieldChanged_NamesChainBrokenAtThatSequence()
    {
        var (bundle, key) = await ExportAsync(AuditWorld.TherapistA);
        BundleTampering.EditEvent(bundle, 4, e => e["clear"]!["discussedAt"] = "2026-11-01T00:00:00.0000000Z");

        var output = await FailsAsync(bundle, key, BundleProblemKind.ChainBroken);

        Assert.Contains("Chain broken at sequence 4", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EventDropped_NamesTheMissingSequence()
    {
        var (bundle, key) = await ExportAsync(AuditWorld.TherapistA);
        var lines = BundleTampering.Lines(bundle);
        lines.RemoveAt(BundleTampering.IndexOfEvent(lines, 3));
        BundleTampering.Save(bundle, lines);

        var output = await FailsAsync(bundle, key, BundleProblemKind.MissingEvent);

        Assert.Contains("Event 3 is missing", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TwoEventsSwapped_NamesReorderedEvents()
    {
        var (bundle, key) = await ExportAsync(AuditWorld.TherapistA);
        var lines = BundleTampering.Lines(bundle);
        var (i, j) = (BundleTampering.IndexOfEvent(lines, 3), BundleTampering.IndexOfEvent(lines, 4));
        (lines[i], lines[j]) = (lines[j], lines[i]);
        BundleTampering.Save(bundle, lines);

        var output = await FailsAsync(bundle, key, BundleProblemKind.ReorderedEvents);

        Assert.Contains("Events 3 and 4 are swapped", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ManifestAltered_NamesTheManifestSignature()
    {
        var (bundle, key) = await ExportAsync();
        BundleTampering.EditManifest(bundle, m => m["generatedBy"] = "someone-else");

        var output = await FailsAsync(bundle, key, BundleProblemKind.BadSignature);

        Assert.Contains("manifest", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ManifestCountsAlteredAndResignedWithThePracticeKey_NamesManifestMismatch()
    {
        // Even a manifest signed with the real key must agree with the events it describes.
        var (bundle, key) = await ExportAsync(AuditWorld.TherapistA);
        using var practice = _world.PracticePrivateKey();
        BundleTampering.EditManifest(bundle, m =>
        {
            var ledger = m["ledgers"]![0]!;
            ledger["inRange"] = (long)ledger["inRange"]! - 1;
            m["counts"]!["inRange"] = (long)m["counts"]!["inRange"]! - 1;
        }, practice);

        var output = await FailsAsync(bundle, key, BundleProblemKind.ManifestMismatch);

        Assert.Contains("in range", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ResignedWithAnotherKey_NamesWrongKey()
    {
        var (bundle, key) = await ExportAsync();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        BundleTampering.ResignWithAnotherKey(bundle, other);

        var output = await FailsAsync(bundle, key, BundleProblemKind.WrongKey);

        Assert.Contains("not the public key given", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CheckpointSignatureFromAnotherKey_NamesBadSignature()
    {
        var (bundle, key) = await ExportAsync(AuditWorld.TherapistA);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        BundleTampering.EditManifest(bundle, m =>
        {
            var c = m["ledgers"]![0]!["checkpoint"]!;
            c["signature"] = BundleTampering.Sign(other, CheckpointStatement.Encode(AuditWorld.TherapistA, (long)c["upToSequence"]!, (string)c["headHash"]!,
                Timestamps.Parse((string)c["signedAt"]!)));
        }, _world.PracticePrivateKey());

        var output = await FailsAsync(bundle, key, BundleProblemKind.BadSignature);

        Assert.Contains("checkpoint signature does not verify", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public async Task Verify_FileTruncatedMidLine_NamesTruncated(double keep)
    {
        var (bundle, key) = await ExportAsync();
        var bytes = File.ReadAllBytes(bundle);
        File.WriteAllBytes(bundle, bytes[..(int)(bytes.Length * keep)]);

        await FailsAsync(bundle, key, BundleProblemKind.Truncated);
    }

    [Fact]
    public async Task Verify_FileTruncatedAtALineBoundary_NamesTruncated()
    {
        var (bundle, key) = await ExportAsync(AuditWorld.TherapistA);
        var lines = BundleTampering.Lines(bundle);
        BundleTampering.Save(bundle, lines[..^2]);

        var output = await FailsAsync(bundle, key, BundleProblemKind.Truncated);

        Assert.Contains("ends before event", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EventInsertedFromAnotherExport_Fails()
    {
        var (bundle, key) = await ExportAsync(AuditWorld.TherapistA);
        var lines = BundleTampering.Lines(bundle);
        var copy = JsonNode.Parse(lines[BundleTampering.IndexOfEvent(lines, 2)])!.AsObject();
        lines.Insert(BundleTampering.IndexOfEvent(lines, 3), copy.ToJsonString());
        BundleTampering.Save(bundle, lines);

        await FailsAsync(bundle, key, BundleProblemKind.ReorderedEvents);
    }

    [Fact]
    public async Task Verify_WithheldFieldOfAnInRangeEventNotDeclared_NamesManifestMismatch()
    {
        var (bundle, key) = await ExportAsync(AuditWorld.TherapistA);
        BundleTampering.EditEvent(bundle, 1, e =>
        {
            var disclosed = e["disclosed"]!.AsObject();
            disclosed.Remove("findings");
            e["withheld"]!.AsObject()["findings"] = new JsonObject { ["commitment"] = Convert.ToBase64String(new byte[32]) };
        });

        await FailsAsync(bundle, key, BundleProblemKind.ManifestMismatch);
    }

    [Fact]
    public async Task Verify_WrongPublicKeyFile_NamesWrongKey()
    {
        var (bundle, _) = await ExportAsync();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherKey = Path.Combine(_world.Folder, "other.pem");
        File.WriteAllText(otherKey, other.ExportSubjectPublicKeyInfoPem());

        await FailsAsync(bundle, otherKey, BundleProblemKind.WrongKey);
    }

    [Fact]
    public async Task Run_UnknownCommand_ExitsWithUsage()
    {
        var run = await CliRun.RunAsync("verfiy", "x");

        Assert.Equal(CliApp.UsageError, run.ExitCode);
        Assert.Contains("usage:", run.Error, StringComparison.Ordinal);
    }
}

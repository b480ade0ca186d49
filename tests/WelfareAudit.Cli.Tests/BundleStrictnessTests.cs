using WelfareAudit.Testing;
using System.Text;
using System.Text.Json.Nodes;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// Strict parsing and the manifest's disclosure promises (issue 11.6), on real exports: a member the format does
/// not define, a member given twice, or a member of the wrong JSON type is <c>Malformed</c> at its line, whichever
/// line it is on; a withheld client code disclosed with its genuine salt, or one client under two pseudonyms, is
/// <c>DisclosureBroken</c>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BundleStrictnessTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly AuditWorld _world = new(azurite);

    public async Task InitializeAsync()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-A1");
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-A1");
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Verify_UnsignedMemberAddedToAnEvent_NamesMalformedAtThatLine()
    {
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA));
        BundleTampering.EditEvent(bundle, 4, e => e["discussion"] = "We agreed that the search was justified.");
        var line = BundleTampering.IndexOfEvent(BundleTampering.Lines(bundle), 4) + 1;

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await _world.PublicKeyFileAsync());
        var result = await VerifyAsync(bundle);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith("FAILED: Malformed", run.Out, StringComparison.Ordinal);
        Assert.Equal(BundleProblemKind.Malformed, result.Problem?.Kind);
        Assert.Equal(line, result.Problem?.Line);
        Assert.Contains("'discussion'", result.Problem!.Detail, StringComparison.Ordinal);
    }

    public static TheoryData<string> Edits() =>
    [
        "manifest: unknown member (re-signed)",
        "manifest: duplicate member (re-signed)",
        "manifest: unknown member of a ledger (re-signed)",
        "manifest: unknown member of the checkpoint (re-signed)",
        "manifest: unknown withheld name (re-signed)",
        "manifest: counts as text (re-signed)",
        "signature: unknown member",
        "event: duplicate member",
        "event: duplicate clear field",
        "event: unknown member of a disclosed field",
        "event: sequence as text",
        "event: clear value as a number",
        "event: inRange as text",
        "end: unknown member",
        "end: events as text",
        "error: unknown member",
    ];

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task Verify_LineNotExactlyTheFormat_NamesMalformedAtThatLine(string edit)
    {
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA));
        var lines = BundleTampering.Lines(bundle);
        var eventLine = BundleTampering.IndexOfEvent(lines, 1);
        var clearLine = BundleTampering.IndexOfEvent(lines, 2);
        using var practice = _world.PracticePrivateKey();
        var changed = edit switch
        {
            "manifest: unknown member (re-signed)" => ResignManifest(lines, Member(lines[0], "\"exportId\":", "\"note\":\"signed, but not the format\",")),
            "manifest: duplicate member (re-signed)" => ResignManifest(lines, Member(lines[0], "\"generatedBy\":", "\"generatedBy\":\"someone-else\",")),
            "manifest: unknown member of a ledger (re-signed)" => ResignManifest(lines, Member(lines[0], "\"firstSequence\":", "\"note\":1,")),
            "manifest: unknown member of the checkpoint (re-signed)" => ResignManifest(lines, Member(lines[0], "\"upToSequence\":", "\"note\":1,")),
            "manifest: unknown withheld name (re-signed)" => ResignManifest(lines, lines[0].Replace("\"withheld\":[]", "\"withheld\":[\"justification\"]", StringComparison.Ordinal)),
            "manifest: counts as text (re-signed)" => ResignManifest(lines, Edit(lines[0], n => n["counts"]!["ledgers"] = "1")),
            "signature: unknown member" => Set(lines, 1, Edit(lines[1], n => n["note"] = "x")),
            "event: duplicate member" => Set(lines, eventLine, Member(lines[eventLine], "\"actor\":", "\"actor\":\"someone-else\",")),
            "event: duplicate clear field" => Set(lines, clearLine, lines[clearLine].Replace("\"clear\":{", "\"clear\":{\"searchId\":\"00000000-0000-0000-0000-000000000000\",", StringComparison.Ordinal)),
            "event: unknown member of a disclosed field" => Set(lines, eventLine, Edit(lines[eventLine], n => n["disclosed"]!["justification"]!["note"] = "x")),
            "event: sequence as text" => Set(lines, eventLine, Edit(lines[eventLine], n => n["sequence"] = "1")),
            "event: clear value as a number" => Set(lines, clearLine, Edit(lines[clearLine], n => n["clear"]!["note"] = 1)),
            "event: inRange as text" => Set(lines, eventLine, Edit(lines[eventLine], n => n["inRange"] = "true")),
            "end: unknown member" => Set(lines, lines.Count - 1, Edit(lines[^1], n => n["note"] = "x")),
            "end: events as text" => Set(lines, lines.Count - 1, Edit(lines[^1], n => n["events"] = "10")),
            "error: unknown member" => Set(lines, lines.Count - 1, """{"kind":"error","ledgerId":"x","sequence":1,"detail":"x","note":"x"}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(edit)),
        };
        BundleTampering.Save(bundle, lines);

        var result = await VerifyAsync(bundle);

        Assert.Equal(BundleProblemKind.Malformed, result.Problem?.Kind);
        Assert.Equal(changed + 1, result.Problem?.Line);

        int ResignManifest(List<string> all, string manifest)
        {
            all[0] = manifest;
            var signature = JsonNode.Parse(all[1])!.AsObject();
            signature["signature"] = BundleTampering.Sign(practice, CheckpointStatement.EncodeManifest(Encoding.UTF8.GetBytes(manifest)));
            all[1] = signature.ToJsonString();
            return 0;
        }
    }

    [Fact]
    public async Task Verify_WithheldClientCodeDisclosedWithItsGenuineSalt_NamesDisclosureBroken()
    {
        // The chain verifies (the commitment is the genuine one), but the manifest promised the code withheld.
        var open = BundleTampering.Lines(await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA), "open.jsonl"));
        var genuine = JsonNode.Parse(open[BundleTampering.IndexOfEvent(open, 1)])!["disclosed"]!["clientRef"]!.DeepClone();
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA, withhold: true));
        BundleTampering.EditEvent(bundle, 1, e =>
        {
            e["withheld"]!.AsObject().Remove("clientRef");
            e["disclosed"]!.AsObject()["clientRef"] = genuine;
        });

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await _world.PublicKeyFileAsync());

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith("FAILED: DisclosureBroken", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("CLIENT-A1", run.Out, StringComparison.Ordinal);
        Assert.Equal(BundleProblemKind.DisclosureBroken, (await VerifyAsync(bundle)).Problem?.Kind);
    }

    [Fact]
    public async Task Verify_OneClientUnderTwoPseudonyms_NamesDisclosureBroken()
    {
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA, withhold: true));
        Assert.True((await VerifyAsync(bundle)).Ok);
        var second = BundleTampering.Lines(bundle).Select(l => JsonNode.Parse(l)!).Last(n => (string?)n["type"] == EventTypes.SearchLogged);
        BundleTampering.EditEvent(bundle, (long)second["sequence"]!, e => e["withheld"]!["clientRef"]!["pseudonym"] = "C-0000000000");

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await _world.PublicKeyFileAsync());

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith("FAILED: DisclosureBroken", run.Out, StringComparison.Ordinal);
        Assert.Contains("two pseudonyms", run.Out, StringComparison.Ordinal);
    }

    private async Task<BundleVerification> VerifyAsync(string bundle)
    {
        var pem = await File.ReadAllTextAsync(await _world.PublicKeyFileAsync());
        await using var file = File.OpenRead(bundle);
        return await AuditBundleVerifier.VerifyAsync(file, pem, null, CancellationToken.None);
    }

    private static int Set(List<string> lines, int index, string line)
    {
        lines[index] = line;
        return index;
    }

    private static string Edit(string line, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(line)!.AsObject();
        edit(node);
        return node.ToJsonString();
    }

    /// <summary>Inserts raw JSON text (a member, or a duplicate of one) before the first occurrence of <paramref name="before"/>.</summary>
    private static string Member(string line, string before, string insert)
    {
        var at = line.IndexOf(before, StringComparison.Ordinal);
        Assert.True(at > 0, before);
        return line[..at] + insert + line[at..];
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Audit.Verification;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// The bundle verifier's stages one by one (framing, manifest, keys, chain, disclosure, counts), on bundles the
/// forge writes: no storage, no export.
/// </summary>
public sealed class BundleVerifierStageTests
{
    [Fact]
    public async Task VerifyAsync_ForgedBundleWithARange_OkWithItsSummary()
    {
        using var forge = new BundleForge { From = BundleForge.RecordedAt(2) };
        await using var stream = forge.ToStream();

        var result = await AuditBundleVerifier.VerifyAsync(stream, forge.PublicKeyPem, null, CancellationToken.None);

        Assert.True(result.Ok, result.Problem?.ToString());
        Assert.Equal(2, result.Events);
        Assert.Equal(1, Assert.Single(result.Ledgers).InRange);
        Assert.True(result.KeyPinned);
    }

    [Fact]
    public async Task Framing_BytesThatAreNotUtf8_MalformedAtThatLine()
    {
        var lines = new BundleLines(new MemoryStream([.. "{}\n"u8, 0xC3, 0x28, (byte)'\n']));
        using var first = await lines.NextAsync(CancellationToken.None);

        var problem = await Assert.ThrowsAsync<BundleProblemException>(() => lines.NextAsync(CancellationToken.None));

        Assert.Equal(BundleProblemKind.Malformed, problem.Problem.Kind);
        Assert.Equal(2, problem.Problem.Line);
    }

    [Fact]
    public async Task Framing_LineCutInsideItsJson_Truncated()
    {
        var lines = new BundleLines(new MemoryStream("{\"kind\":\"ev"u8.ToArray()));

        var problem = await Assert.ThrowsAsync<BundleProblemException>(() => lines.NextAsync(CancellationToken.None));

        Assert.Equal(BundleProblemKind.Truncated, problem.Problem.Kind);
    }

    [Fact]
    public void Manifest_Forged_ReadsItsPartKeysAndRange()
    {
        using var forge = new BundleForge { From = BundleForge.RecordedAt(2) };

        var manifest = ReadManifest(forge.Lines()[0]);

        var part = Assert.Single(manifest.Parts);
        Assert.Equal((forge.LedgerId, 1L, 2L, "genesis"), (part.LedgerId, part.First, part.Last, part.Anchor));
        Assert.Equal(forge.KeyId, Assert.Single(manifest.SigningKeys).KeyId);
        Assert.False(manifest.InRange(BundleForge.RecordedAt(1)));
        Assert.True(manifest.InRange(BundleForge.RecordedAt(2)));
    }

    [Fact]
    public void Manifest_AnotherVersion_MalformedAsUnsupportedVersionNotAsUnknownMembers()
    {
        using var forge = new BundleForge();
        var line = JsonNode.Parse(forge.Lines()[0])!.AsObject();
        line["version"] = 2;
        line["newMember"] = true;

        var problem = Assert.Throws<BundleProblemException>(() => ReadManifest(line.ToJsonString()));

        Assert.Equal(BundleProblemKind.Malformed, problem.Problem.Kind);
        Assert.Contains("Unsupported bundle version", problem.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_PinnedToAnotherKey_WrongKey()
    {
        using var forge = new BundleForge();
        using var other = new BundleForge();
        var lines = forge.Lines();
        var manifest = ReadManifest(lines[0]);
        using var keys = BundleKeys.Import(manifest, other.PublicKeyPem);
        using var signature = Line(2, lines[1]);

        var problem = Assert.Throws<BundleProblemException>(() => keys.AuthenticateManifest(manifest, signature));

        Assert.Equal(BundleProblemKind.WrongKey, problem.Problem.Kind);
    }

    [Fact]
    public void Chain_EventsOfTheForge_AcceptedUpToTheSignedHead()
    {
        using var forge = new BundleForge();
        var (manifest, keys, events) = Stages(forge);
        using var _ = keys;
        var chain = new ChainStage(manifest, keys);

        foreach (var e in events)
        {
            Assert.False(chain.IsAhead(e.Header.LedgerId, e.Header.Sequence));
            chain.Accept(e);
        }

        chain.CheckComplete();
        Assert.Equal(2, Assert.Single(chain.Ledgers).Events);
    }

    [Fact]
    public void Chain_AClearFieldChanged_ChainBrokenAtThatSequence()
    {
        using var forge = new BundleForge();
        var (manifest, keys, events) = Stages(forge, e => e["clear"]!["searchId"] = "00000000-0000-0000-0000-000000000000");
        using var _ = keys;
        var chain = new ChainStage(manifest, keys);

        var problem = Assert.Throws<BundleProblemException>(() => chain.Accept(events[0]));

        Assert.Equal((BundleProblemKind.ChainBroken, 1L), (problem.Problem.Kind, problem.Problem.Sequence));
    }

    [Fact]
    public void Chain_SecondEventSkipped_AheadAndNamedMissing()
    {
        using var forge = new BundleForge();
        forge.Events.Add(new("NextSessionSet", new() { ["searchId"] = "3f2504e0-4f89-41d3-9a0c-0305e82c3301" }, [], []));
        var (manifest, keys, events) = Stages(forge);
        using var _ = keys;
        var chain = new ChainStage(manifest, keys);
        chain.Accept(events[0]);

        Assert.True(chain.IsAhead(forge.LedgerId, 3));
        Assert.Equal(BundleProblemKind.MissingEvent, chain.Skipped(forge.LedgerId, 3, null).Problem.Kind);
        Assert.Equal(BundleProblemKind.ReorderedEvents, chain.Skipped(forge.LedgerId, 3, 2).Problem.Kind);
    }

    [Fact]
    public void Disclosure_EventOutsideTheRangeDisclosesAField_DisclosureBroken()
    {
        using var forge = new BundleForge { From = BundleForge.RecordedAt(2), DiscloseOutOfRange = true };
        var (manifest, keys, events) = Stages(forge);
        using var _ = keys;
        var disclosure = new DisclosureStage(manifest);

        var problem = Assert.Throws<BundleProblemException>(() => disclosure.Check(events[0]));
        disclosure.Check(events[1]);

        Assert.Equal((BundleProblemKind.DisclosureBroken, 3L), (problem.Problem.Kind, problem.Problem.Line));
    }

    [Fact]
    public void Counts_EndLineCountsOneEventTooMany_ManifestMismatch()
    {
        using var forge = new BundleForge();
        var lines = forge.Lines();
        var manifest = ReadManifest(lines[0]);
        using var end = Line(lines.Count, lines[^1]);

        var problem = Assert.Throws<BundleProblemException>(() => BundleCounts.CheckEnd(BundleCounts.ReadEnd(end), manifest, 1));

        Assert.Equal(BundleProblemKind.ManifestMismatch, problem.Problem.Kind);
        BundleCounts.CheckEnd(BundleCounts.ReadEnd(end), manifest, 2);
    }

    private static BundleLine Line(long number, string text) => new(number, text, JsonDocument.Parse(text));

    private static BundleManifest ReadManifest(string text)
    {
        using var line = Line(1, text);
        return ManifestStage.Read(line);
    }

    /// <summary>The forge's manifest, its keys (authenticated) and its events read by the event stage, after <paramref name="edit"/>.</summary>
    private static (BundleManifest Manifest, BundleKeys Keys, List<BundleEvent> Events) Stages(BundleForge forge, Action<JsonObject>? edit = null)
    {
        var lines = forge.Lines();
        var manifest = ReadManifest(lines[0]);
        var keys = BundleKeys.Import(manifest, forge.PublicKeyPem);
        using (var signature = Line(2, lines[1]))
        {
            keys.AuthenticateManifest(manifest, signature);
        }
        var events = new List<BundleEvent>();
        for (var i = 2; i < lines.Count - 1; i++)
        {
            var node = JsonNode.Parse(lines[i])!.AsObject();
            edit?.Invoke(node);
            using var line = Line(i + 1, node.ToJsonString());
            events.Add(BundleEvent.Read(line));
        }
        return (manifest, keys, events);
    }
}

using WelfareAudit.Core.Audit;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// <c>welfare-audit verify NEW --extends OLD</c> on real exports (Azurite, the product's export): full and dated-range
/// exports, a later export against an earlier one and the other way round, a ledger left out, an earlier bundle that does
/// not verify. The owner's rewrite is in <c>Trust/OwnerRewriteTests</c>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExtendsCommandTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly AuditWorld _world = new(azurite);
    private string _old = "", _key = "";
    private DateTimeOffset _oldExportedAt;

    public async Task InitializeAsync()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-A1");
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistB, "CLIENT-B1");
        _world.Time.Advance(TimeSpan.FromDays(1));
        _oldExportedAt = _world.Time.GetUtcNow();
        _old = await _world.ExportAsync(AuditWorld.Bundle(), "old.jsonl");
        _key = await _world.PublicKeyFileAsync();
        // A year goes by: more searches, daily checkpoints.
        for (var day = 0; day < 3; day++)
        {
            _world.Time.Advance(TimeSpan.FromDays(1));
            await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-A" + (day + 2));
            await _world.DailyCheckpoint.RunAsync(default);
        }
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task<CliRun> VerifyAsync(string bundle, string earlier) => CliRun.RunAsync("verify", bundle, "--public-key", _key, "--extends", earlier);

    [Fact]
    public async Task VerifyExtends_LaterFullExport_OkAndEveryLedgerExtends()
    {
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(), "new.jsonl");

        var run = await VerifyAsync(bundle, _old);

        Assert.True(run.ExitCode == CliApp.Ok, run.Out);
        Assert.StartsWith("OK: ", run.Out, StringComparison.Ordinal);
        Assert.Contains("EXTENDS: the bundle contains the earlier export's history unchanged", run.Out, StringComparison.Ordinal);
        Assert.Contains($"ledger {AuditWorld.TherapistA}: Extends.", run.Out, StringComparison.Ordinal);
        Assert.Contains($"ledger {AuditWorld.TherapistB}: Extends.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyExtends_TheSameExport_Ok()
    {
        var run = await VerifyAsync(_old, _old);

        Assert.Equal(CliApp.Ok, run.ExitCode);
        Assert.Contains("nothing was added", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyExtends_EarlierExportAgainstALaterOne_TruncatedNamingTheFirstLostEvent()
    {
        var later = await _world.ExportAsync(AuditWorld.Bundle(), "new.jsonl");

        var run = await VerifyAsync(_old, later);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith("REFUSED: Truncated", run.Out, StringComparison.Ordinal);
        Assert.Contains($"where: ledger {AuditWorld.TherapistA}, sequence", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyExtends_RangeExportFromTheDayOfTheEarlierExport_Ok()
    {
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(from: new DateTimeOffset(_oldExportedAt.UtcDateTime.Date, TimeSpan.Zero)), "range.jsonl");

        var run = await VerifyAsync(bundle, _old);

        Assert.True(run.ExitCode == CliApp.Ok, run.Out);
        Assert.Contains($"ledger {AuditWorld.TherapistA}: Extends.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyExtends_RangeExportStartingAtTheEarlierExportsCheckpoint_Ok()
    {
        // The latest checkpoint before this range is the one the earlier export signed: the part starts there.
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(from: _oldExportedAt.AddMinutes(1)), "range.jsonl");

        var run = await VerifyAsync(bundle, _old);

        Assert.True(run.ExitCode == CliApp.Ok, run.Out);
        Assert.Contains("anchored on checkpoint", run.Out, StringComparison.Ordinal);
        Assert.Contains($"ledger {AuditWorld.TherapistA}: Extends.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyExtends_RangeExportStartingAfterTheEarlierCheckpoint_RefusedAsUnprovableWithTheReason()
    {
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(from: _world.Time.GetUtcNow().AddHours(-1)), "late.jsonl");

        var run = await VerifyAsync(bundle, _old);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith("REFUSED: Unprovable", run.Out, StringComparison.Ordinal);
        Assert.Contains("no later than the day of the earlier export", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyExtends_LedgerLeftOutOfTheNewExport_RefusedAsMissing()
    {
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA), "only-a.jsonl");

        var run = await VerifyAsync(bundle, _old);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith("REFUSED: Missing", run.Out, StringComparison.Ordinal);
        Assert.Contains($"where: ledger {AuditWorld.TherapistB}", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyExtends_EarlierBundleDoesNotVerify_FailedNamingTheEarlierExport()
    {
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(), "new.jsonl");
        BundleTampering.EditEvent(_old, 2, e => e["clear"]!["nextSessionAt"] = "2026-01-01T00:00:00.0000000Z");

        var run = await VerifyAsync(bundle, _old);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith($"FAILED: {BundleProblemKind.ChainBroken}", run.Out, StringComparison.Ordinal);
        Assert.Contains("in: the earlier export (--extends)", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--extends-public-key", "key.pem")]
    [InlineData("--extends", "does-not-exist.jsonl")]
    public async Task VerifyExtends_BadArguments_UsageError(string option, string value)
    {
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(), "new.jsonl");

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", _key, option, option == "--extends-public-key" ? _key : Path.Combine(_world.Folder, value));

        Assert.Equal(CliApp.UsageError, run.ExitCode);
    }
}

using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests.Trust;

/// <summary>
/// Issue 13's "done when": the owner deletes a search from the middle of a ledger, rebuilds the chain and re-signs
/// everything with the real key. The plain verify passes (the limit of a single key); <c>--extends</c> with the export
/// the board kept refuses it, naming the sequence. (<c>--anchors</c> and <c>--witness</c> add their assertions here.)
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OwnerRewriteTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private OwnerRewriteScenario _attack = null!;

    public async Task InitializeAsync() => _attack = await new OwnerRewriteScenario(new AuditWorld(azurite)).RunAsync();

    public async Task DisposeAsync() => await _attack.World.DisposeAsync();

    [Fact]
    public async Task Verify_RewrittenLedger_PassesWithThePracticeKey()
    {
        var run = await CliRun.RunAsync("verify", _attack.NewBundle, "--public-key", _attack.PublicKey);

        Assert.Equal(CliApp.Ok, run.ExitCode);
        Assert.StartsWith("OK: ", run.Out, StringComparison.Ordinal);
        Assert.Equal(6, _attack.Rewrite.FirstRemovedSequence);
        Assert.Equal(5, _attack.Rewrite.RemovedEvents);
    }

    [Fact]
    public async Task VerifyExtends_RewrittenLedger_RefusedAtTheFirstRemovedSequence()
    {
        var run = await CliRun.RunAsync("verify", _attack.NewBundle, "--public-key", _attack.PublicKey, "--extends", _attack.OldBundle);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith("REFUSED: Diverges", run.Out, StringComparison.Ordinal);
        Assert.True(run.Out.Contains($"where: ledger {_attack.LedgerId}, sequence {_attack.Rewrite.FirstRemovedSequence}\n", StringComparison.Ordinal), run.Out);
        Assert.Contains($"ledger {AuditWorld.TherapistB}: Extends", run.Out, StringComparison.Ordinal);
    }
}

using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Cli.Tests.Trust;

/// <summary>
/// The attack of issue 13, step by step, on a real table (Azurite) and the product's own export: a history, an export
/// the board keeps (<see cref="OldBundle"/>), more activity, then the owner deletes a search from the middle of
/// therapist A's ledger (<see cref="OwnerRewrite"/>) and exports again (<see cref="NewBundle"/>). Each detector adds
/// its own assertion on the two bundles; <paramref name="afterOldExport"/> runs what the board or a witness does with
/// the earlier export before the rewrite (cosign it, pull anchors).
/// </summary>
public sealed class OwnerRewriteScenario(AuditWorld world)
{
    /// <summary>The app's world; after the rewrite, the app restarted over the rewritten table (its caches knew the old head).</summary>
    public AuditWorld World => world;

    public string LedgerId => AuditWorld.TherapistA;

    /// <summary>The export the board kept from before the rewrite.</summary>
    public string OldBundle { get; private set; } = "";

    /// <summary>The export made after the rewrite, signed by the practice's real key.</summary>
    public string NewBundle { get; private set; } = "";

    /// <summary>The practice's public key (PEM file), the one the board pinned.</summary>
    public string PublicKey { get; private set; } = "";

    public SearchLogged DeletedSearch { get; private set; } = null!;

    public OwnerRewriteResult Rewrite { get; private set; } = null!;

    public async Task<OwnerRewriteScenario> RunAsync(Func<OwnerRewriteScenario, Task>? afterOldExport = null)
    {
        await world.SearchWithFollowUpAsync(LedgerId, "CLIENT-A1");
        DeletedSearch = await world.SearchWithFollowUpAsync(LedgerId, "CLIENT-A2");
        await world.SearchWithFollowUpAsync(LedgerId, "CLIENT-A3");
        await world.SearchWithFollowUpAsync(AuditWorld.TherapistB, "CLIENT-B1");
        world.Time.Advance(TimeSpan.FromDays(1));
        await world.DailyCheckpoint.RunAsync(default);
        OldBundle = await world.ExportAsync(AuditWorld.Bundle(), "old.bundle.jsonl");
        PublicKey = await world.PublicKeyFileAsync();
        if (afterOldExport is not null)
        {
            await afterOldExport(this);
        }

        world.Time.Advance(TimeSpan.FromDays(30));
        await world.SearchWithFollowUpAsync(LedgerId, "CLIENT-A4");
        Rewrite = await OwnerRewrite.Of(world).DeleteSearchAsync(LedgerId, DeletedSearch.Id);
        world = await world.RestartAsync();
        world.Time.Advance(TimeSpan.FromDays(1));
        NewBundle = await world.ExportAsync(AuditWorld.Bundle(), "new.bundle.jsonl");
        return this;
    }
}

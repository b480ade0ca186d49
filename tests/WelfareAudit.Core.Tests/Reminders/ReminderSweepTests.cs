using Microsoft.Extensions.Logging.Abstractions;
using WelfareAudit.Core.Reminders;
using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Tests.Support;
using static WelfareAudit.Core.Tests.Support.UseCaseWorld;

namespace WelfareAudit.Core.Tests.Reminders;

/// <summary>The reminder job on the in-memory ledger and a fake clock: what is sent, recorded, retried and escalated.</summary>
public class ReminderSweepTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly UseCaseWorld _world = new();
    private readonly RecordingChannel _email = new("email");
    private readonly RecordingChannel _webhook = new("webhook");
    private readonly ReminderOptions _options = new() { Policy = new ReminderPolicy { TimeZone = "UTC" }, LeaseDuration = TimeSpan.FromMinutes(5) };

    private ReminderSweep Sweep(params IReminderChannel[] channels) =>
        new(_world.Ledger, channels.Length == 0 ? [_email, _webhook] : channels, _options, _world.Time, NullLogger<ReminderSweep>.Instance);

    private async Task<IReadOnlyList<string>> SentKeysAsync(Guid id, string therapist = TherapistA) =>
        (await _world.Ledger.GetSearchAsync(therapist, id, None))!.RemindersSent;

    [Fact]
    public async Task RunAsync_SessionWithinTheHour_OneDigestPerChannel_RecordedOnce()
    {
        var id = await _world.LogAsync(nextSessionAt: _world.Time.GetUtcNow().AddMinutes(30));

        var first = await Sweep().RunAsync(None);
        var second = await Sweep().RunAsync(None);

        Assert.Equal(new SweepResult(Ledgers: 1, Due: 2, Sent: 2, Recorded: 2, FailedDigests: 0, SkippedLedgers: 0), first);
        Assert.Equal(new SweepResult(1, 0, 0, 0, 0, 0), second);
        var digest = Assert.Single(_email.Digests);
        Assert.Single(_webhook.Digests);
        Assert.Equal((ReminderAudience.Therapist, TherapistA), (digest.Audience, digest.TherapistId));
        var item = Assert.Single(digest.Items);
        Assert.Equal((SearchStatusText.Reference(id), ReminderPlanner.BeforeSession), (item.Reference, item.Kind));
        Assert.Equal(2, (await SentKeysAsync(id)).Count);
        Assert.Contains(await SentKeysAsync(id), k => k.EndsWith("#email", StringComparison.Ordinal));
        Assert.Contains(await SentKeysAsync(id), k => k.EndsWith("#webhook", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_Digest_CarriesNoClientData()
    {
        var draft = _world.Draft("C-SECRET-77", _world.Time.GetUtcNow().AddMinutes(30));
        await _world.Searches.LogAsync(Therapist(), draft, null, None);

        await Sweep().RunAsync(None);

        var text = Assert.Single(_email.Digests).Subject + Assert.Single(_email.Digests).Text();
        foreach (var secret in new[] { draft.ClientRef!, draft.Justification!, draft.Crisis!.DangerSuspected!, draft.Findings!, "name + town" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task RunAsync_OneChannelFails_ItsRemindersStayDueAndTheSweepFails_NextSweepSendsThem()
    {
        var id = await _world.LogAsync(nextSessionAt: _world.Time.GetUtcNow().AddMinutes(30));
        _email.Failing = true;

        await Assert.ThrowsAsync<ReminderDeliveryException>(() => Sweep().RunAsync(None));
        var whileDown = await SentKeysAsync(id);
        _email.Failing = false;
        _world.Time.Advance(TimeSpan.FromMinutes(1));
        var after = await Sweep().RunAsync(None);

        Assert.DoesNotContain(whileDown, k => k.EndsWith("#email", StringComparison.Ordinal));
        Assert.Contains(whileDown, k => k.EndsWith("#webhook", StringComparison.Ordinal));
        Assert.Equal((1, 1), (after.Sent, after.Recorded));
        Assert.Single(_email.Digests);
        Assert.Single(_webhook.Digests);
        Assert.True((await _world.Ledger.VerifyAsync(TherapistA, None)).Ok);
    }

    [Fact]
    public async Task RunAsync_NoSessionSet_DailyNudge_ThenEscalatesOnceToSupervisors()
    {
        // Logged Monday 09:30 UTC with no next session: a nudge each day from 08:00, escalation after 14 days.
        var id = await _world.LogAsync();
        var email = new RecordingChannel("email");

        var day0 = await Sweep(email).RunAsync(None);
        _world.Time.Advance(TimeSpan.FromDays(1));
        var day1 = await Sweep(email).RunAsync(None);
        var day1Again = await Sweep(email).RunAsync(None);
        _world.Time.Advance(TimeSpan.FromDays(13));
        var day14 = await Sweep(email).RunAsync(None);
        _world.Time.Advance(TimeSpan.FromDays(1));
        var day15 = await Sweep(email).RunAsync(None);

        Assert.Equal((1, 1, 0), (day0.Due, day1.Due, day1Again.Due));
        Assert.Equal(2, day14.Due);
        Assert.Equal(1, day15.Due);
        var escalation = Assert.Single(email.Digests, d => d.Audience == ReminderAudience.Supervisors);
        Assert.Null(escalation.TherapistId);
        Assert.Equal(ReminderPlanner.Escalation, Assert.Single(escalation.Items).Kind);
        Assert.All(email.Digests.Where(d => d.Audience == ReminderAudience.Therapist), d => Assert.Equal(ReminderPlanner.SetNextSession, Assert.Single(d.Items).Kind));
        Assert.Equal(5, (await SentKeysAsync(id)).Count);
    }

    [Fact]
    public async Task RunAsync_SessionPassedWithoutDiscussion_OverdueEachDay()
    {
        var id = await _world.LogAsync(nextSessionAt: _world.Time.GetUtcNow().AddHours(3));
        var email = new RecordingChannel("email");
        _world.Time.Advance(TimeSpan.FromDays(1));

        await Sweep(email).RunAsync(None);
        _world.Time.Advance(TimeSpan.FromDays(1));
        await Sweep(email).RunAsync(None);

        Assert.Equal([ReminderPlanner.Overdue, ReminderPlanner.Overdue], email.Digests.Select(d => Assert.Single(d.Items).Kind));
        Assert.Equal(2, (await SentKeysAsync(id)).Count);
    }

    [Fact]
    public async Task RunAsync_AfterDiscussionOrClosing_NothingIsDue()
    {
        var discussed = await _world.LogAsync(nextSessionAt: _world.Time.GetUtcNow().AddMinutes(30));
        var closed = await _world.LogAsync(nextSessionAt: _world.Time.GetUtcNow().AddMinutes(30));
        await _world.Searches.RecordDiscussionAsync(Therapist(), discussed, new DiscussionDraft { DiscussedAt = _world.Time.GetUtcNow() }, null, None);
        await _world.Searches.AmendAsync(Therapist(), closed, new AmendmentDraft { Field = "status", Value = "closed", Reason = "logged in error" }, null, None);

        var result = await Sweep().RunAsync(None);

        Assert.Equal(0, result.Due);
        Assert.Empty(_email.Digests);
    }

    [Fact]
    public async Task RunAsync_LedgerLeasedByAnotherSweep_SkipsItUntilTheLeaseExpires()
    {
        await _world.LogAsync(nextSessionAt: _world.Time.GetUtcNow().AddMinutes(50));
        Assert.True(await _world.Ledger.TryAcquireLeaseAsync(TherapistA, "reminders", "another-sweep", TimeSpan.FromMinutes(5), None));

        var whileLeased = await Sweep().RunAsync(None);
        _world.Time.Advance(TimeSpan.FromMinutes(6));
        var afterExpiry = await Sweep().RunAsync(None);

        Assert.Equal((1, 0), (whileLeased.SkippedLedgers, whileLeased.Sent));
        Assert.Equal((0, 2), (afterExpiry.SkippedLedgers, afterExpiry.Sent));
    }

    [Fact]
    public async Task RunAsync_TwoSweepsTogether_SendEachReminderOnce()
    {
        await _world.LogAsync(nextSessionAt: _world.Time.GetUtcNow().AddMinutes(30));
        await _world.LogAsync(TherapistB, nextSessionAt: _world.Time.GetUtcNow().AddMinutes(40));

        await Task.WhenAll(Sweep().RunAsync(None), Sweep().RunAsync(None), Sweep().RunAsync(None));

        Assert.Equal(2, _email.Digests.Count);
        Assert.Equal([TherapistA, TherapistB], _email.Digests.Select(d => d.TherapistId).Order(StringComparer.Ordinal));
        Assert.Equal(2, _webhook.Digests.Count);
    }

    [Fact]
    public async Task RunAsync_TherapistsGetSeparateDigests_EachWithAllTheirItems()
    {
        await _world.LogAsync(TherapistA, "C-1", _world.Time.GetUtcNow().AddMinutes(30));
        await _world.LogAsync(TherapistA, "C-2", _world.Time.GetUtcNow().AddMinutes(20));
        await _world.LogAsync(TherapistB, "C-3", _world.Time.GetUtcNow().AddMinutes(10));

        var result = await Sweep(_email).RunAsync(None);

        Assert.Equal((3, 2, 3), (result.Due, result.Sent, result.Recorded));
        Assert.Equal(2, _email.Digests.Single(d => d.TherapistId == TherapistA).Items.Count);
        Assert.Single(_email.Digests.Single(d => d.TherapistId == TherapistB).Items);
    }

    [Fact]
    public async Task RunAsync_NoChannel_SendsNothingAndRecordsNothing()
    {
        var id = await _world.LogAsync(nextSessionAt: _world.Time.GetUtcNow().AddMinutes(30));

        var result = await new ReminderSweep(_world.Ledger, [], _options, _world.Time, NullLogger<ReminderSweep>.Instance).RunAsync(None);

        Assert.Equal((1, 0, 0), (result.Ledgers, result.Due, result.Sent));
        Assert.Empty(await SentKeysAsync(id));
    }
}

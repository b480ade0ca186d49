using Microsoft.Extensions.Logging;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Reminders;

/// <summary>
/// The reminder job, run by the timer function and the local host alike. For each ledger with due
/// reminders it takes the ledger's reminder lease (so duplicate firings and racing instances do not both
/// send), sends one digest per recipient and channel, and records each delivered reminder as
/// <c>ReminderSent</c>. A failed delivery is not recorded and is retried by the next sweep; the sweep
/// then fails, so the platform sees the failure.
/// </summary>
public sealed partial class ReminderSweep(ILedger ledger, IEnumerable<IReminderChannel> channels, ReminderOptions options, TimeProvider time, ILogger<ReminderSweep> logger)
{
    public const string Actor = "reminder-sweep";
    private const string LeaseName = "reminders";

    public async Task<SweepResult> RunAsync(CancellationToken cancellationToken)
    {
        var channelList = channels.ToList();
        if (channelList.Count == 0)
        {
            // The promise to the client depends on these reminders: make their absence loud, every run.
            Log.NoChannel(logger);
        }
        var names = channelList.Select(c => c.Name).ToList();
        var holder = Guid.NewGuid().ToString("N");
        var leased = new List<string>();
        var due = new List<DueReminder>();
        int ledgers = 0, skipped = 0, sent = 0, recorded = 0, failed = 0;
        LedgerIntegrityException? integrity = null;
        try
        {
            await foreach (var ledgerId in ledger.ListLedgersAsync(cancellationToken))
            {
                ledgers++;
                if ((await DueInAsync(ledgerId, names, cancellationToken)).Count == 0)
                {
                    continue;
                }
                if (!await ledger.TryAcquireLeaseAsync(ledgerId, LeaseName, holder, options.LeaseDuration, cancellationToken))
                {
                    skipped++;
                    continue;
                }
                leased.Add(ledgerId);
                // Decide again under the lease: a sweep that just finished may have sent them.
                due.AddRange(await DueInAsync(ledgerId, names, cancellationToken));
            }

            var groups = due.GroupBy(d => (d.Channel, d.Audience, Therapist: d.Audience == ReminderAudience.Therapist ? d.Search.LedgerId : null));
            foreach (var group in groups)
            {
                var channel = channelList.First(c => c.Name == group.Key.Channel);
                var digest = ReminderDigest.Create(group.Key.Audience, group.Key.Therapist, group, options.Policy, options.PhoneLink);
                try
                {
                    await channel.SendAsync(digest, cancellationToken);
                    sent++;
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failed++;
                    Log.DeliveryFailed(logger, channel.Name, group.Count(), e.GetType().Name);
                    continue;
                }
                foreach (var item in group)
                {
                    try
                    {
                        var result = await ledger.AppendAsync(item.Search.LedgerId, Actor, item.Search.SearchId, current =>
                            current is null || current.State != SearchState.AwaitingDiscussion || current.RemindersSent.Contains(item.Key, StringComparer.Ordinal)
                                ? null
                                : new ReminderSent(item.Search.SearchId, item.Kind, item.Key, item.SessionAt, item.Channel),
                            cancellationToken);
                        recorded += result is null ? 0 : 1;
                    }
                    catch (LedgerIntegrityException e)
                    {
                        // The reminder went out; a damaged ledger (head deleted) cannot record it. The other
                        // ledgers go on, and the run fails at the end so the damage is not a silent success.
                        integrity ??= e;
                        Log.NotRecorded(logger, e.LedgerId, e.Problem.Kind.ToString());
                    }
                }
            }
        }
        finally
        {
            foreach (var ledgerId in leased)
            {
                await ledger.ReleaseLeaseAsync(ledgerId, LeaseName, holder, CancellationToken.None);
            }
        }

        var summary = new SweepResult(ledgers, due.Count, sent, recorded, failed, skipped);
        Log.Swept(logger, summary.Ledgers, summary.Due, summary.Sent, summary.Recorded, summary.FailedDigests, summary.SkippedLedgers);
        return failed > 0 ? throw new ReminderDeliveryException(failed) : integrity is not null ? throw integrity : summary;
    }

    private async Task<IReadOnlyList<DueReminder>> DueInAsync(string ledgerId, IReadOnlyCollection<string> channelNames, CancellationToken ct)
    {
        // Only the open searches: a ledger's closed ones (most of its history) never have a reminder due.
        var searches = await ledger.ListSearchesAsync(ledgerId, SearchState.AwaitingDiscussion, ct).ToListAsync(ct);
        return ReminderPlanner.Due(searches, time.GetUtcNow(), options.Policy, channelNames);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Reminder delivery over {Channel} failed for {Items} item(s): {ExceptionType}; not recorded, the next sweep retries")]
        public static partial void DeliveryFailed(ILogger logger, string channel, int items, string exceptionType);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "A reminder for ledger {LedgerId} was sent but could not be recorded: the ledger failed an integrity check ({Kind})")]
        public static partial void NotRecorded(ILogger logger, string ledgerId, string kind);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "No reminder channel is configured (WelfareAudit:Reminders:Smtp:Host or Webhook:Url): nothing is delivered")]
        public static partial void NoChannel(ILogger logger);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Reminder sweep: {Ledgers} ledgers, {Due} due, {Sent} digests sent, {Recorded} recorded, {Failed} failed, {Skipped} ledgers leased by another sweep")]
        public static partial void Swept(ILogger logger, int ledgers, int due, int sent, int recorded, int failed, int skipped);
    }
}

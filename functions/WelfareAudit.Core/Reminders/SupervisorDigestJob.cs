using System.Globalization;
using Microsoft.Extensions.Logging;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Schedules;

namespace WelfareAudit.Core.Reminders;

/// <summary>
/// The supervisors' daily digest: how many searches wait for a review and how many are overdue, counts only, through
/// every configured channel, once per local day (<see cref="ReminderPolicy.DailyAt"/> in <see cref="ReminderPolicy.TimeZone"/>).
/// The timer may run it often (and twice at once): each channel's send is guarded by a dated claim
/// (<c>supervisorDigest{yyyyMMdd}{channel}</c>) taken before counting and sending and held for <see cref="MarkerLifetime"/>,
/// so a second run, on this instance or another, finds it and sends nothing; a run that finds every channel claimed
/// stops there, without reading the ledgers. A failed delivery (or a failed count) gives the claim back and the run
/// fails, so the next run retries. A run that dies between claiming and sending loses that day's digest on that
/// channel: the digest is sent at most once a day, never twice. Nothing is sent (and nothing stays claimed) while
/// nothing is waiting.
/// </summary>
public sealed partial class SupervisorDigestJob(ILedger ledger, IJobClaims claims, AuditSearchRows rows, IEnumerable<IReminderChannel> channels,
    ReminderOptions options, TimeProvider time, ILogger<SupervisorDigestJob> logger)
{
    public const string ClaimPrefix = "supervisorDigest";

    /// <summary>Longer than any day, so the dated claim outlives its day whatever the time zone.</summary>
    public static readonly TimeSpan MarkerLifetime = TimeSpan.FromDays(3);

    public async Task RunAsync(CancellationToken cancellationToken) => await SendAsync(cancellationToken);

    public async Task<DigestResult> SendAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var zone = options.Policy.Zone();
        var today = ReminderPlanner.LocalDate(now, zone);
        if (now < ReminderPlanner.LocalTime(today, options.Policy.DailyAt, zone))
        {
            return new DigestResult(false, 0, 0, 0, 0, 0);
        }
        // The claims first: a later run the same day (the timer runs hourly) finds every channel claimed and stops
        // before reading a single search row, instead of counting every ledger to send nothing.
        var claimed = new List<(IReminderChannel Channel, string Name, string Holder)>();
        var already = 0;
        foreach (var channel in channels)
        {
            var name = ClaimName(today, channel.Name);
            var holder = Guid.NewGuid().ToString("N");
            if (await claims.TryClaimAsync(name, holder, MarkerLifetime, cancellationToken))
            {
                claimed.Add((channel, name, holder));
            }
            else
            {
                already++;
            }
        }
        if (claimed.Count == 0 && already > 0)
        {
            Log.AlreadySent(logger, already);
            return new DigestResult(true, 0, 0, 0, already, 0);
        }

        int awaiting = 0, overdue = 0;
        try
        {
            await foreach (var ledgerId in ledger.ListLedgersAsync(cancellationToken))
            {
                await foreach (var p in ledger.ListSearchesAsync(ledgerId, cancellationToken))
                {
                    awaiting += p.Reviewed ? 0 : 1;
                    overdue += rows.IsOverdue(p, now) ? 1 : 0;
                }
            }
        }
        catch
        {
            await ReleaseAsync(claimed);
            throw;
        }
        if (awaiting == 0 && overdue == 0)
        {
            // Nothing is sent while nothing is waiting, and nothing stays claimed: a later run today sends if work comes in.
            await ReleaseAsync(claimed);
            return new DigestResult(true, 0, 0, 0, 0, 0);
        }

        var digest = ReminderDigest.ForBacklog(new ReviewBacklog(today, awaiting, overdue), options.PhoneLink);
        int sent = 0, failed = 0;
        foreach (var (channel, name, holder) in claimed)
        {
            try
            {
                await channel.SendAsync(digest, cancellationToken);
                sent++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failed++;
                Log.DeliveryFailed(logger, channel.Name, e.GetType().Name);
                await claims.ReleaseAsync(name, holder, CancellationToken.None);
            }
        }
        Log.Digested(logger, awaiting, overdue, sent, already, failed);
        return failed > 0 ? throw new ReminderDeliveryException(failed) : new DigestResult(true, awaiting, overdue, sent, already, failed);
    }

    private async Task ReleaseAsync(List<(IReminderChannel Channel, string Name, string Holder)> claimed)
    {
        foreach (var (_, name, holder) in claimed)
        {
            await claims.ReleaseAsync(name, holder, CancellationToken.None);
        }
    }

    /// <summary>The dated claim of one channel's digest (claim names are ASCII letters and digits).</summary>
    public static string ClaimName(DateOnly day, string channel) =>
        ClaimPrefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + new string([.. channel.Where(char.IsAsciiLetterOrDigit).Take(24)]);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "The supervisors' digest over {Channel} failed: {ExceptionType}; the next run retries")]
        public static partial void DeliveryFailed(ILogger logger, string channel, string exceptionType);

        [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "Supervisors' digest: already sent today on all {Channels} channel(s); nothing counted")]
        public static partial void AlreadySent(ILogger logger, int channels);

        [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Supervisors' digest: {AwaitingReview} awaiting review, {Overdue} overdue; {Sent} sent, {Already} already sent today, {Failed} failed")]
        public static partial void Digested(ILogger logger, int awaitingReview, int overdue, int sent, int already, int failed);
    }
}

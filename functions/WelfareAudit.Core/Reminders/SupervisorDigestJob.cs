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
/// (<c>supervisorDigest{yyyyMMdd}{channel}</c>) taken before sending and held for <see cref="MarkerLifetime"/>, so
/// a second run, on this instance or another, finds it and sends nothing. A failed delivery gives the claim back and
/// the run fails, so the next run retries. A run that dies between claiming and sending loses that day's digest on
/// that channel: the digest is sent at most once a day, never twice. Nothing is sent while nothing is waiting.
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
        int awaiting = 0, overdue = 0;
        await foreach (var ledgerId in ledger.ListLedgersAsync(cancellationToken))
        {
            await foreach (var p in ledger.ListSearchesAsync(ledgerId, cancellationToken))
            {
                awaiting += p.Reviewed ? 0 : 1;
                overdue += rows.IsOverdue(p, now) ? 1 : 0;
            }
        }
        if (awaiting == 0 && overdue == 0)
        {
            return new DigestResult(true, 0, 0, 0, 0, 0);
        }

        var digest = ReminderDigest.ForBacklog(new ReviewBacklog(today, awaiting, overdue), options.PhoneLink);
        int sent = 0, already = 0, failed = 0;
        foreach (var channel in channels)
        {
            var name = ClaimName(today, channel.Name);
            var holder = Guid.NewGuid().ToString("N");
            if (!await claims.TryClaimAsync(name, holder, MarkerLifetime, cancellationToken))
            {
                already++;
                continue;
            }
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

    /// <summary>The dated claim of one channel's digest (claim names are ASCII letters and digits).</summary>
    public static string ClaimName(DateOnly day, string channel) =>
        ClaimPrefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + new string([.. channel.Where(char.IsAsciiLetterOrDigit).Take(24)]);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "The supervisors' digest over {Channel} failed: {ExceptionType}; the next run retries")]
        public static partial void DeliveryFailed(ILogger logger, string channel, string exceptionType);

        [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Supervisors' digest: {AwaitingReview} awaiting review, {Overdue} overdue; {Sent} sent, {Already} already sent today, {Failed} failed")]
        public static partial void Digested(ILogger logger, int awaitingReview, int overdue, int sent, int already, int failed);
    }
}

namespace WelfareAudit.Core.Schedules;

/// <summary>
/// Named, time-limited claims outside every ledger, for jobs that must act once across instances and retried
/// runs (the timer trigger fires at least once). A dated name held until after its day is a marker: "done today".
/// </summary>
public interface IJobClaims
{
    /// <summary>
    /// Claims <paramref name="name"/> (1-64 ASCII letters or digits) for <paramref name="duration"/>; false when
    /// another holder's claim has not expired. The same holder may claim again (to extend it).
    /// </summary>
    Task<bool> TryClaimAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives a claim back (after a failure, so the next run retries); does nothing if another holder has it.</summary>
    Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken);
}

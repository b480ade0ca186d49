namespace WelfareAudit.Testing;

/// <summary>
/// A clock whose time the test sets and moves on (record times, lease expiry, "today"), while timers
/// (retry backoff, operation deadlines) run in real time as the system's do. A fake clock's timers fire only
/// when the test advances it, so a store that backs off after losing a race would wait for ever on one.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}

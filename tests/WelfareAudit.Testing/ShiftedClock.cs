namespace WelfareAudit.Testing;

/// <summary>
/// The system clock, moved forward by what the test skips: a host that waits for a time to pass (a circuit
/// breaker's break) sees it pass at once, and every other time stays real. Timers are the system's.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _shiftTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _shiftTicks));

    public void Skip(TimeSpan by) => Interlocked.Add(ref _shiftTicks, by.Ticks);
}

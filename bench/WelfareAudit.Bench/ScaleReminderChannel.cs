using WelfareAudit.Core.Reminders;

namespace WelfareAudit.Bench;

/// <summary>
/// A reminder channel for the scale scenario that delivers nowhere and counts what it was given, so that the
/// sweep and the digest measure their storage work, not an SMTP server (the reminder tests use smtp4dev).
/// </summary>
internal sealed class ScaleReminderChannel : IReminderChannel
{
    private int _digests;
    private int _items;

    public string Name => "bench";

    public int Digests => _digests;

    public int Items => _items;

    public Task SendAsync(ReminderDigest digest, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _digests);
        Interlocked.Add(ref _items, digest.Items.Count);
        return Task.CompletedTask;
    }
}

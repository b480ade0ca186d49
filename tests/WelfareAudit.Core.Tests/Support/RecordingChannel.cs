using WelfareAudit.Core.Reminders;

namespace WelfareAudit.Core.Tests.Support;

/// <summary>A delivery channel that keeps what it was given, and can be made to fail like an SMTP server that is down.</summary>
public sealed class RecordingChannel(string name) : IReminderChannel
{
    private readonly List<ReminderDigest> _digests = [];

    public string Name => name;

    public bool Failing { get; set; }

    public IReadOnlyList<ReminderDigest> Digests
    {
        get
        {
            lock (_digests)
            {
                return [.. _digests];
            }
        }
    }

    public async Task SendAsync(ReminderDigest digest, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (Failing)
        {
            throw new IOException("The server is not answering.");
        }
        lock (_digests)
        {
            _digests.Add(digest);
        }
    }
}

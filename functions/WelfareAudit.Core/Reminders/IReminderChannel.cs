namespace WelfareAudit.Core.Reminders;

/// <summary>A way to deliver a digest (email, webhook). Throws when delivery failed, so nothing is recorded.</summary>
public interface IReminderChannel
{
    /// <summary>The channel name recorded in <c>ReminderSent</c> and in reminder keys.</summary>
    string Name { get; }

    Task SendAsync(ReminderDigest digest, CancellationToken cancellationToken);
}

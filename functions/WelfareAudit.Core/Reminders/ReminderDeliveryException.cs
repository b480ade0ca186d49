namespace WelfareAudit.Core.Reminders;

/// <summary>Delivery failed for some digests; they were not recorded and the next sweep retries them.</summary>
public sealed class ReminderDeliveryException(int failed) : Exception($"{failed} reminder digest(s) could not be delivered; the next sweep retries them.");

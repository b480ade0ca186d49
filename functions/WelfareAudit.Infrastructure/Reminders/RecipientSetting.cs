namespace WelfareAudit.Infrastructure.Reminders;

public sealed class RecipientSetting
{
    public string? ObjectId { get; set; }

    public string? Email { get; set; }
}

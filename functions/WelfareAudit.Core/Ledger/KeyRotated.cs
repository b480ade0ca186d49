namespace WelfareAudit.Core.Ledger;

/// <summary>A key was rotated: new data is encrypted under <paramref name="KeyId"/>; older keys stay readable.</summary>
public sealed record KeyRotated(string Purpose, string KeyId) : LedgerEvent
{
    public override string Type => EventTypes.KeyRotated;

    public override EventFields ToFields() => new EventFields()
        .WithClear("purpose", Purpose)
        .WithClear("keyId", KeyId);
}

using System.Globalization;

namespace WelfareAudit.Core.Ledger;

/// <summary>
/// An event of a ledger. Nothing in a ledger is edited or deleted: every change, correction and
/// export is a new event. <see cref="ToFields"/> decides, per field, what is clear and what is sensitive.
/// </summary>
public abstract record LedgerEvent
{
    public abstract string Type { get; }

    /// <summary>The search this event belongs to, if any: its projection row is updated with the event.</summary>
    public virtual Guid? SearchId => null;

    public abstract EventFields ToFields();

    internal static string IdText(Guid id) => id.ToString("D");

    internal static string Bool(bool value) => value ? "true" : "false";

    internal static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string? Time(DateTimeOffset? value) => value is null ? null : Timestamps.ToText(value.Value);
}

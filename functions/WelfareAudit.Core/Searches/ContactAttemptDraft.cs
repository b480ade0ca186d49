namespace WelfareAudit.Core.Searches;

// The draft mirrors the JSON contract with every member optional and enums as text, so that a
// missing or misspelled value becomes a field-named validation error instead of a parse failure.

public sealed class ContactAttemptDraft
{
    public string? Channel { get; set; }
    public DateTimeOffset? At { get; set; }
}

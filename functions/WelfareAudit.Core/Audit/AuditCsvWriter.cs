using System.Globalization;
using CsvHelper;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// The spreadsheet export: one row per search (status, dates, reminders, time to discussion, supervisor review), written
/// with CsvHelper, UTF-8, RFC 4180, every field quoted. No cell can run as a formula, whatever list separator
/// the reader's spreadsheet uses: every field goes through <see cref="SpreadsheetText.Neutralise"/>.
/// Times are ledger timestamps (UTC); durations are in hours with one decimal.
/// </summary>
public static class AuditCsvWriter
{
    public static readonly string[] Header =
    [
        "reference", "searchId", "therapist", "client", "clientIsPseudonym", "riskLevel", "occurredAt", "loggedAt", "status",
        "nextSessionAt", "discussedAt", "hoursToDiscussion", "remindersSent", "amendments", "overdue", "ledgerSequence",
        "reviewOutcome", "reviewedAt", "reviewer",
    ];

    public static async Task<IReadOnlyDictionary<string, long>> WriteAsync(IAsyncEnumerable<AuditSearchRow> rows, Stream output, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var options = new CsvWriterOptions
        {
            Quoting = CsvQuoting.Always,
            Injection = CsvInjection.None,
            NewLine = "\r\n",
            FormatProvider = CultureInfo.InvariantCulture,
        };
        await using var csv = CsvWriter.Create(output, options, leaveOpen: true);
        csv.WriteHeader(Header.Select(SpreadsheetText.Neutralise).ToArray());
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            string[] fields =
            [
                r.Reference, r.SearchId.ToString("D"), r.Therapist, r.Client, Bool(r.ClientIsPseudonym), EnumText.ToText(r.RiskLevel),
                Timestamps.ToText(r.OccurredAt), Timestamps.ToText(r.LoggedAt), r.Status, Time(r.NextSessionAt), Time(r.DiscussedAt),
                r.TimeToDiscussion is { } t ? t.TotalHours.ToString("0.0", CultureInfo.InvariantCulture) : "",
                r.RemindersSent.ToString(CultureInfo.InvariantCulture), r.Amendments.ToString(CultureInfo.InvariantCulture), Bool(r.Overdue),
                r.LoggedSequence.ToString(CultureInfo.InvariantCulture),
                r.ReviewOutcome ?? "", Time(r.ReviewedAt), r.Reviewer ?? "",
            ];
            await csv.WriteRecordAsync(Array.ConvertAll(fields, SpreadsheetText.Neutralise), cancellationToken);
            counts[r.Therapist] = counts.GetValueOrDefault(r.Therapist) + 1;
        }
        await csv.FlushAsync(cancellationToken);
        return counts;
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Time(DateTimeOffset? value) => value is null ? "" : Timestamps.ToText(value.Value);
}

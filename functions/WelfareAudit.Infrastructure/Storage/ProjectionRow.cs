using System.Text.Json;
using Azure.Data.Tables;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>Maps a <see cref="SearchProjection"/> to and from its row (no client data: ids, times, status).</summary>
public static class ProjectionRow
{
    public static TableEntity ToEntity(SearchProjection p)
    {
        var e = new TableEntity(p.LedgerId, RowKeys.Search(p.SearchId))
        {
            ["SearchId"] = p.SearchId.ToString("D"),
            ["LoggedSequence"] = p.LoggedSequence,
            ["LastSequence"] = p.LastSequence,
            ["OccurredAt"] = Timestamps.ToText(p.OccurredAt),
            ["LoggedAt"] = Timestamps.ToText(p.LoggedAt),
            ["ClientIndex"] = p.ClientIndex,
            ["State"] = p.State.ToString(),
            ["RemindersSent"] = JsonSerializer.Serialize(p.RemindersSent),
            ["Amendments"] = p.Amendments,
        };
        SetTime(e, "NextSessionAt", p.NextSessionAt);
        SetTime(e, "DiscussedAt", p.DiscussedAt);
        SetTime(e, "LastReminderAt", p.LastReminderAt);
        SetTime(e, "ReviewedAt", p.ReviewedAt);
        if (p.ReviewOutcome is not null)
        {
            e["ReviewOutcome"] = p.ReviewOutcome;
            e["Reviewer"] = p.Reviewer;
        }
        return e;
    }

    private static void SetTime(TableEntity e, string name, DateTimeOffset? value)
    {
        // Absent rather than null: a replace then clears it, and no store has to understand null.
        if (value is not null)
        {
            e[name] = Timestamps.ToText(value.Value);
        }
    }

    public static SearchProjection FromEntity(TableEntity e) => new(
        Guid.Parse(e.GetString("SearchId")),
        e.PartitionKey,
        e.GetInt64("LoggedSequence") ?? 0,
        e.GetInt64("LastSequence") ?? 0,
        Timestamps.Parse(e.GetString("OccurredAt")),
        Timestamps.Parse(e.GetString("LoggedAt")),
        e.GetString("ClientIndex"),
        Enum.Parse<SearchState>(e.GetString("State")),
        Time(e, "NextSessionAt"),
        Time(e, "DiscussedAt"),
        JsonSerializer.Deserialize<List<string>>(e.GetString("RemindersSent") ?? "[]") ?? [],
        e.GetInt32("Amendments") ?? 0,
        Time(e, "LastReminderAt"),
        Time(e, "ReviewedAt"),
        e.GetString("ReviewOutcome"),
        e.GetString("Reviewer"));

    private static DateTimeOffset? Time(TableEntity e, string name) =>
        e.GetString(name) is { } s ? Timestamps.Parse(s) : null;
}

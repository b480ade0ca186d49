using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using WelfareAudit.Core.Searches;
using WelfareAudit.Testing;

namespace WelfareAudit.Bench;

/// <summary>Statistics and output shared by the scenarios.</summary>
internal static class Shared
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string ResultsDir
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("WA_BENCH_RESULTS") is { Length: > 0 } configured
                ? configured
                : Path.Combine(RepositoryRoot.Path, "bench", "results");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public static async Task WriteResultAsync(string name, object result)
    {
        var json = JsonSerializer.Serialize(result, Indented);
        Console.WriteLine(json);
        await File.WriteAllTextAsync(Path.Combine(ResultsDir, name), json);
    }

    public static void Record(List<double> list, Stopwatch sw, bool warm)
    {
        sw.Stop();
        if (!warm)
        {
            list.Add(sw.Elapsed.TotalMilliseconds);
        }
    }

    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    public static Stats Stats(List<double> v) => new(Percentile(v, 50), Percentile(v, 99), v.Average());

    public static string Machine() =>
        $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

    /// <summary>The load average from /proc/loadavg (1, 5, 15 minutes), or null where there is none.</summary>
    public static double[]? LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return [.. parts.Take(3).Select(p => double.Parse(p, CultureInfo.InvariantCulture))];
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A copy of an event row's properties under new keys: a bare entity as large as a real one.</summary>
    public static TableEntity Copy(TableEntity sample, string partitionKey, string rowKey)
    {
        var e = new TableEntity(partitionKey, rowKey);
        foreach (var (k, v) in sample)
        {
            if (k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
            {
                e[k] = v;
            }
        }
        return e;
    }

    /// <summary>What an append writes, bare: the event row, an unconditional head and a projection row (and an idempotency row).</summary>
    public static List<TableTransactionAction> BareAppend(TableEntity sample, string partitionKey, long i, bool idempotency = false)
    {
        var key = i.ToString("D19", CultureInfo.InvariantCulture);
        var actions = new List<TableTransactionAction>(4)
        {
            new(TableTransactionActionType.Add, Copy(sample, partitionKey, "e" + key)),
            new(TableTransactionActionType.UpsertReplace, new TableEntity(partitionKey, "head") { ["Seq"] = i, ["Hash"] = new string('0', 64) }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity(partitionKey, "search-" + key) { ["State"] = "AwaitingDiscussion", ["Seq"] = i }),
        };
        if (idempotency)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(partitionKey, "idem-" + key) { ["RequestHash"] = new string('0', 64), ["Seq"] = i }));
        }
        return actions;
    }

    public static CrisisSearchEntry Entry(DateTimeOffset now) => new(
        "C-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)),
        now.AddHours(-1),
        new CrisisDetails(new string('d', 400), RiskLevel.High, [new ContactAttempt(ContactChannel.Phone, now.AddHours(-3)), new ContactAttempt(ContactChannel.MissedAppointment, now.AddHours(-4))]),
        new string('j', 600),
        new SearchScope([SearchSource.SearchEngine, SearchSource.Facebook], ["name town", "name blog"]),
        new string('f', 300),
        new string('a', 200),
        null,
        now.AddDays(2));

    /// <summary>The JSON body of POST /api/searches matching <see cref="Entry"/>.</summary>
    public static string PostBody(CrisisSearchEntry entry, DateTimeOffset now) => JsonSerializer.Serialize(new
    {
        clientRef = entry.ClientRef,
        occurredAt = now.AddMinutes(-30),
        crisis = new { dangerSuspected = entry.Crisis.DangerSuspected, riskLevel = "high", contactAttempts = new[] { new { channel = "phone", at = now.AddHours(-2) } } },
        justification = entry.Justification,
        scope = new { sources = new[] { "searchEngine", "facebook" }, queries = entry.Scope.Queries },
        findings = entry.Findings,
        actionsTaken = entry.ActionsTaken,
        nextSessionAt = now.AddDays(2),
    });
}

internal sealed record Stats(double P50, double P99, double Mean);

/// <summary>Counts the storage requests a client sends, by method and kind (entity, batch, query, table).</summary>
internal sealed class CountingPolicy : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int Total => _counts.Values.Sum();

    public IReadOnlyDictionary<string, int> Snapshot() => new SortedDictionary<string, int>(_counts, StringComparer.Ordinal);

    public void Reset() => _counts.Clear();

    public override void OnSendingRequest(HttpMessage message)
    {
        var path = message.Request.Uri.Path;
        var kind = path.EndsWith("/$batch", StringComparison.Ordinal) ? "batch"
            : path.Contains("PartitionKey=", StringComparison.Ordinal) || path.Contains("(PartitionKey", StringComparison.Ordinal) ? "entity"
            : path.EndsWith("/Tables", StringComparison.Ordinal) || path.Contains("/Tables(", StringComparison.Ordinal) ? "table"
            : "query";
        _counts.AddOrUpdate($"{message.Request.Method} {kind}", 1, (_, n) => n + 1);
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace WelfareAudit.Bench;

/// <summary>The rows of the search list scenario (<see cref="ListingBench"/>, listing.json) in docs/performance.md.</summary>
internal static class ListingReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void AppendRows(StringBuilder md, JsonNode? listing, List<(string Goal, string Measured, bool? Met)> goals)
    {
        if (listing is null)
        {
            return;
        }
        var n = listing["searches"]!.GetValue<int>();
        var pages = listing["pages"]!.GetValue<int>();
        double P50(string series) => listing[series]!["P50"]!.GetValue<double>();
        var bare = P50("bareQueryMs");
        md.AppendLine(Inv, $"| GET /api/searches, a list of {n:N0} searches page by page ({pages} pages of {listing["pageSize"]}, {listing["rounds"]} rounds, median) | {P50("apiMs"):F1} ms | bare query of the same search rows {bare:F1} ms | **{listing["apiVsBareQuery"]!.GetValue<double>():F2}** |");
        md.AppendLine(Inv, $"| — profile: the same pages in process (use case, no HTTP) | {P50("inProcessMs"):F1} ms | bare query {bare:F1} ms | {listing["inProcessVsBareQuery"]!.GetValue<double>():F2} |");
        md.AppendLine(Inv, $"| — for comparison, bare: the list's shape before paging (the query + one event-row query per search) | {P50("perItemReadsMs"):F1} ms | bare query {bare:F1} ms | {listing["perItemReadsVsBareQuery"]!.GetValue<double>():F2} |");
        var requests = listing["storageRequestsPerListing"]!.GetValue<int>();
        md.AppendLine(Inv, $"| storage requests of one listing of {n:N0} searches through the API | {requests} | pages: {pages} | {(double)requests / pages:F2} |");
        goals.Add(($"GET /api/searches answers each page from one query ({n:N0} searches)", $"{requests} storage requests for {pages} pages", requests == pages));
    }
}

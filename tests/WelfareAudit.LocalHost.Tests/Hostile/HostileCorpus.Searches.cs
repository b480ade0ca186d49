using System.Text;
using WelfareAudit.Core.Reviews;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.LocalHost.Tests.Hostile;

/// <summary>
/// The paging parameters of <c>GET /api/searches</c> (issue 14): bad page sizes, garbled, forged and foreign continuation
/// tokens, unknown and repeated parameters; each refused with 400 naming the parameter, for a therapist and a supervisor.
/// </summary>
public static partial class HostileCorpus
{
    private static void SearchListPaging(List<HostileCase> cases)
    {
        static string Token(string position) => Convert.ToBase64String(Encoding.ASCII.GetBytes(position)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var search = Guid.NewGuid();
        var otherTherapist = Guid.NewGuid().ToString("D");

        (string Query, string Field)[] both =
        [
            ("pageSize=0", "pageSize"), ("pageSize=101", "pageSize"), ("pageSize=-1", "pageSize"), ("pageSize=1e2", "pageSize"), ("pageSize=" + Marker, "pageSize"),
            ("pageSize=99999999999999999999", "pageSize"), ("pageSize=", "pageSize"), ("pageSize=%2B5", "pageSize"), ("pageSize=1&pageSize=2", "pageSize"),
            ("continuation=" + Marker, "continuation"), ("continuation=" + Uri.EscapeDataString(Marker + "==/+"), "continuation"), ("continuation=", "continuation"),
            ("continuation=" + new string('A', 300), "continuation"), ("continuation=%00", "continuation"),
            ("continuation=a&continuation=b", "continuation"),
            ("page=2", "page"), ("Continuation=x", "Continuation"), ("PageSize=5", "PageSize"),
        ];
        (string Name, string Token)[] forged =
        [
            ("a review queue token", ReviewQuery.Token(DateTimeOffset.UnixEpoch, search)),
            ("OData in the ledger id", Token($"s1.{Marker}' or PartitionKey ne '.{search:N}")),
            ("traversal in the ledger id", Token($"s1.../{Marker}.{search:N}")),
            ("no search id", Token($"s1.{TherapistId}.{Marker}")),
            ("unknown version", Token($"s2.{TherapistId}.{search:N}")),
            ("NUL after the id", Token($"s1.{TherapistId}.{search:N}\0{Marker}")),
            ("ledger id only", Token($"s1.{TherapistId}")),
            ("ledger id of 129", Token($"s1.{Marker}{new string('a', 129 - Marker.Length)}.{search:N}")),
        ];
        var named = both.Select(b => (Name: Shorten(b.Query.Replace(Marker, "M", StringComparison.Ordinal)), b.Query, b.Field))
            .Concat(forged.Select(f => (Name: "token: " + f.Name, Query: "continuation=" + f.Token, Field: "continuation")));
        foreach (var (name, query, field) in named)
        {
            var input = "paging " + name;
            cases.Add(new HostileCase("query", "GET list as therapist", input, "GET", "api/searches?" + query, null, null, BadRequest, [Marker], Field: field));
            cases.Add(new HostileCase("query", "GET list as supervisor", input, "GET", "api/searches?" + query, null, null, BadRequest, [Marker], CallerKind.Supervisor, Field: field));
        }
        // A well-formed token of another ledger: a therapist cannot list from it, nor a supervisor who asked for one therapist.
        var foreign = SearchListQuery.Token(otherTherapist, search);
        cases.Add(new HostileCase("query", "GET list as therapist", "paging another ledger's token", "GET", "api/searches?continuation=" + foreign, null, null, BadRequest, [Marker],
            Field: "continuation"));
        cases.Add(new HostileCase("query", "GET list as supervisor", "paging a token outside ?therapist=", "GET", $"api/searches?therapist={TherapistId}&continuation={foreign}", null, null,
            BadRequest, [Marker], CallerKind.Supervisor, Field: "continuation"));
    }
}

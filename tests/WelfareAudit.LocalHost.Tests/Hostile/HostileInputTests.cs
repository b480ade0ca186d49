using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http.Identity;
using Xunit.Abstractions;

namespace WelfareAudit.LocalHost.Tests.Hostile;

/// <summary>
/// The hostile-input corpus (<see cref="HostileCorpus"/>) against the real local host and Azurite. Every
/// row must get a 4xx, a problem response when there is a body, no stack trace, none of its marker
/// strings back, and must leave the therapist's ledger exactly as it was (same event count, same head
/// hash) next to a baseline search that a valid request would have changed.
/// </summary>
[Collection(HostileCorpusCollection.Name)]
public class HostileInputTests(LocalHostFixture host, ITestOutputHelper output)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly string SupervisorId = Guid.NewGuid().ToString("D");
    private static HttpClient? _client;
    private static string? _baselineId;

    public static TheoryData<string, string, string> Corpus()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var c in HostileCorpus.All)
        {
            data.Add(c.Category, c.Route, c.Input);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Refused_4xxProblem_NoEcho_LedgerUnchanged(string category, string route, string input)
    {
        var c = HostileCorpus.Get(category, route, input);
        var searchId = await BaselineAsync();
        var before = await LedgerStateAsync();

        var (status, mediaType, body) = await SendAsync(c, searchId);
        output.WriteLine($"{status} {mediaType} {Excerpt(body)}");

        Assert.True(status is >= 400 and < 500, $"{c.Name}: got {status}, body {Excerpt(body)}");
        Assert.Contains(status, c.Expected);
        if (body.Length > 0)
        {
            Assert.Equal("application/problem+json", mediaType);
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.Equal(status, problem.GetProperty("status").GetInt32());
            if (c.Field is not null)
            {
                Assert.True(problem.GetProperty("errors").TryGetProperty(c.Field, out _), $"{c.Name}: the problem does not name {c.Field}");
            }
        }
        else
        {
            Assert.Null(c.Field);
        }
        var text = Encoding.UTF8.GetString(body);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        foreach (var marker in c.Markers)
        {
            Assert.DoesNotContain(marker, text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(before, await LedgerStateAsync());
    }

    [Fact]
    public void Corpus_AtLeast150DistinctRequests_EveryCategoryPresent()
    {
        var all = HostileCorpus.All;
        foreach (var group in all.GroupBy(c => c.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{group.Key,-16} {group.Count(),4}");
        }
        output.WriteLine($"{"total",-16} {all.Count,4}");

        Assert.True(all.Count >= 150, $"only {all.Count} cases");
        var tooLong = all.Where(c => c.Category.Length > 50 || c.Route.Length > 50 || c.Input.Length > 50).Select(c => c.Name).ToList();
        Assert.True(tooLong.Count == 0, "Names xunit would cut: " + string.Join("; ", tooLong));
        Assert.Equal(all.Count, all.Select(c => c.Name).Distinct().Count());
        var sameRequest = all.GroupBy(c => (c.Method, c.Path, Convert.ToHexString(c.Body ?? []), c.ContentType, c.Caller, c.PrincipalHeaders?.Length, string.Join("\n", c.PrincipalHeaders ?? []), c.Chunked,
                string.Join("\n", (c.Headers ?? []).Select(h => h.Name + ": " + h.Value))))
            .Where(g => g.Count() > 1).Select(g => string.Join(" = ", g.Select(c => c.Name))).ToList();
        Assert.True(sameRequest.Count == 0, "Rows sending the same request: " + string.Join("; ", sameRequest));
        string[] categories =
        [
            "malformed", "truncated", "wrong-type", "missing", "extra", "huge", "deep", "control", "invalid-utf8", "bidi-invisible", "date", "id", "query",
            "principal", "content-type", "duplicate-key", "origin", "accounting",
        ];
        Assert.Equal(categories.Order(StringComparer.Ordinal), all.Select(c => c.Category).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The unmutated request of every route is accepted, so each corpus row is refused for its mutation;
    /// and the text that is accepted on purpose (RTL script, marks and joiners in free text) is accepted.
    /// </summary>
    [Fact]
    public async Task ControlRequests_AndTextAcceptedOnPurpose_AreAccepted()
    {
        var now = DateTimeOffset.UtcNow;
        using var client = host.Client(Guid.NewGuid().ToString("D"), Role.Therapist);

        var search = HostileCorpus.ValidSearch(now);
        search["clientRef"] = "C-عميل-1001";
        search["justification"] = "لم يرد على الهاتف — no answer \u200F(RTL mark)\u200E, Persian نمی\u200Cخواهم with ZWNJ, emoji 👩\u200D⚕️, isolate \u2067עברית\u2069.";
        search["findings"] = "Line one.\r\nLine two\twith a tab.";
        var created = await client.PostAsync("api/searches", Content(search));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        var detail = JsonDocument.Parse(await client.GetStringAsync($"api/searches/{id}")).RootElement.GetProperty("entry");
        Assert.Equal(search["justification"]!.GetValue<string>(), detail.GetProperty("justification").GetString());
        Assert.Equal("C-عميل-1001", detail.GetProperty("clientRef").GetString());

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"api/searches/{id}/next-session", Content(HostileCorpus.ValidNextSession(now)))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"api/searches/{id}/discussion", Content(HostileCorpus.ValidDiscussion(now)))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"api/searches/{id}/amendments", Content(HostileCorpus.ValidAmendment()))).StatusCode);
        var verify = JsonDocument.Parse(await client.GetStringAsync("api/ledger/verify")).RootElement;
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.Equal(4, verify.GetProperty("ledgers")[0].GetProperty("events").GetInt64());

        // The accounting's valid body is served, so its corpus rows are refused for their mutation; a code with slashes and
        // dots is only text in a body (the RTL code above is that client's, found again through its blind index).
        var accounting = HostileCorpus.ValidAccounting();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("api/clients/accounting", Content(accounting))).StatusCode);
        accounting["clientRef"] = "../../C-عميل-1001";
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("api/clients/accounting", Content(accounting))).StatusCode);
        accounting["clientRef"] = " c-عميل-1001 ";
        var page = await (await client.PostAsync("api/clients/accounting", Content(accounting))).Content.ReadAsStringAsync();
        Assert.Contains("One search about you is recorded.", page, StringComparison.Ordinal);
    }

    /// <summary>The ends of the export's supported range are accepted: only the missing format is refused, so nothing is exported.</summary>
    [Theory]
    [InlineData("from=0001-01-01&to=9999-12-30")]
    [InlineData("from=0001-01-01T00:00:00Z&to=9999-12-30T23:59:59.9999999Z")]
    [InlineData("from=9999-12-30T23:59:59.9999999Z")]
    [InlineData("to=0001-01-01T00:00:00Z")]
    public async Task ExportBounds_AtTheSupportedRange_OnlyTheMissingFormatIsRefused(string query)
    {
        using var client = host.Client(Guid.NewGuid().ToString("D"), Role.Supervisor);

        using var response = await client.GetAsync("api/audit/export?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["format"], errors.EnumerateObject().Select(e => e.Name));
    }

    private static StringContent Content(JsonObject body) => LocalHostFixture.Json(body.ToJsonString());

    /// <summary>The baseline search, logged once per run, awaiting discussion: every write route would change it.</summary>
    private async Task<string> BaselineAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_baselineId is null)
            {
                _client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
                var now = DateTimeOffset.UtcNow;
                var body = HostileCorpus.ValidSearch(now);
                body["occurredAt"] = now.AddHours(-2);
                body["crisis"]!["contactAttempts"]![0]!["at"] = now.AddHours(-4);
                body["crisis"]!["contactAttempts"]![1]!["at"] = now.AddHours(-3);
                using var request = Request(HttpMethod.Post, "api/searches", Principal(CallerKind.Therapist, null));
                request.Content = LocalHostFixture.Json(body.ToJsonString());
                using var response = await _client.SendAsync(request);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                _baselineId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
            }
            return _baselineId!;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<(long Events, string HeadHash)> LedgerStateAsync()
    {
        using var request = Request(HttpMethod.Get, "api/ledger/verify", Principal(CallerKind.Therapist, null));
        using var response = await _client!.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verify = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(verify.GetProperty("ok").GetBoolean());
        var ledger = Assert.Single(verify.GetProperty("ledgers").EnumerateArray());
        return (ledger.GetProperty("events").GetInt64(), ledger.GetProperty("headHash").GetString()!);
    }

    private static string[] Principal(CallerKind caller, string[]? forged) => caller switch
    {
        CallerKind.Therapist => [ClientPrincipal.Encode(HostileCorpus.TherapistId, Role.Therapist)],
        CallerKind.Supervisor => [ClientPrincipal.Encode(SupervisorId, Role.Supervisor)],
        _ => forged ?? [],
    };

    private static HttpRequestMessage Request(HttpMethod method, string path, string[] principal)
    {
        var request = new HttpRequestMessage(method, path);
        if (principal.Length > 0)
        {
            request.Headers.TryAddWithoutValidation(ClientPrincipal.HeaderName, principal);
        }
        return request;
    }

    private async Task<(int Status, string? MediaType, byte[] Body)> SendAsync(HostileCase c, string searchId)
    {
        var path = c.Path.Replace("{id}", searchId, StringComparison.Ordinal);
        var principal = Principal(c.Caller, c.PrincipalHeaders);
        if (c.Raw)
        {
            var headers = principal.Select(p => (ClientPrincipal.HeaderName, p)).ToList();
            if (c.ContentType is not null)
            {
                headers.Add(("Content-Type", c.ContentType));
            }
            var target = path.StartsWith('/') ? path : "/" + path;
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var raw = await RawHttp.SendAsync(host.BaseAddress, c.Method, target, headers, c.Body, cts.Token);
            return (raw.Status, raw.ContentType, raw.Body);
        }

        using var request = Request(new HttpMethod(c.Method), path, principal);
        foreach (var (name, value) in c.Headers ?? [])
        {
            var text = value.Replace("{port}", host.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            if (name == "Host")
            {
                request.Headers.Host = text;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, text);
            }
        }
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            request.Content.Headers.ContentType = null;
            if (c.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
            }
            if (c.Chunked)
            {
                request.Headers.TransferEncodingChunked = true;
            }
        }
        using var response = await _client!.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    private static string Excerpt(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        return text.Length <= 400 ? text : text[..400];
    }
}

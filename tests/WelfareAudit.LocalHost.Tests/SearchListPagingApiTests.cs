using System.Net;
using System.Text.Json;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.LocalHost.Tests;

/// <summary>
/// <c>GET /api/searches</c> paged (issue 14), end to end over real HTTP (local host, Azurite, key file): page by page each
/// search exactly once, also while searches are logged between pages and with <c>?risk=</c>; the token in the URL holds no
/// client data; a bad token or page size is a problem naming the parameter.
/// </summary>
[Collection(LocalHostCollection.Name)]
public class SearchListPagingApiTests(LocalHostFixture host)
{
    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<string> LogAsync(HttpClient therapist, string clientRef, string risk = "high")
    {
        var body = SearchApiTests.ValidBody(clientRef).Replace("\"riskLevel\":\"high\"", $"\"riskLevel\":\"{risk}\"", StringComparison.Ordinal);
        Assert.Contains($"\"riskLevel\":\"{risk}\"", body, StringComparison.Ordinal);
        return (await Json(await therapist.PostAsync("api/searches", LocalHostFixture.Json(body)))).GetProperty("id").GetString()!;
    }

    /// <summary>Every page from <paramref name="query"/> on, following <c>next</c>; <paramref name="between"/> runs after each page but the last.</summary>
    internal static async Task<(List<JsonElement> Items, List<string> Urls)> AllPagesAsync(HttpClient client, string query, Func<Task>? between = null)
    {
        var items = new List<JsonElement>();
        var urls = new List<string>();
        string? next = null;
        do
        {
            var url = "api/searches?" + query + (next is null ? "" : "&continuation=" + Uri.EscapeDataString(next));
            urls.Add(url);
            Assert.True(urls.Count < 100, "the list did not end");
            var page = await Json(await client.GetAsync(url));
            Assert.Equal(["items", "next", "unreadable"], page.EnumerateObject().Select(p => p.Name));
            items.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
            if (next is not null && between is not null)
            {
                await between();
            }
        }
        while (next is not null);
        return (items, urls);
    }

    [Fact]
    public async Task ListSearches_PageByPage_EachSearchExactlyOnce_WhileSearchesAreLoggedBetweenPages()
    {
        var owner = Guid.NewGuid().ToString("D");
        using var therapist = host.Client(owner, Role.Therapist);
        var before = new List<string>();
        for (var i = 0; i < 13; i++)
        {
            before.Add(await LogAsync(therapist, $"C-PAGE-{i:D2}"));
        }
        var during = new List<string>();

        var (items, urls) = await AllPagesAsync(therapist, "pageSize=4", async () => during.Add(await LogAsync(therapist, "C-PAGE-NEW")));

        var ids = items.Select(i => i.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Subset(ids.ToHashSet(), before.ToHashSet());
        Assert.Subset(before.Concat(during).ToHashSet(), ids.ToHashSet());
        Assert.True(urls.Count >= 4);
        Assert.All(items.Where(i => before.Contains(i.GetProperty("id").GetString()!)),
            i => Assert.Equal($"C-PAGE-{before.IndexOf(i.GetProperty("id").GetString()!):D2}", i.GetProperty("clientRef").GetString()));
        // The URLs carry ids, never a client code.
        Assert.DoesNotContain(urls, u => u.Contains("C-PAGE", StringComparison.Ordinal) || Base64Url(u).Contains("C-PAGE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListSearches_SupervisorWithRiskFilter_EachMatchingSearchOfEveryLedgerOnce()
    {
        var therapists = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid().ToString("D")).ToList();
        var clients = therapists.Select(t => host.Client(t, Role.Therapist)).ToList();
        var imminent = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var risk = i % 2 == 0 ? "imminent" : "low";
            var id = await LogAsync(clients[i % 3], $"C-RISK-{i:D2}", risk);
            if (risk == "imminent")
            {
                imminent.Add(id);
            }
        }
        using var supervisor = host.Client(Guid.NewGuid().ToString("D"), Role.Supervisor);
        var round = 0;

        // Other tests' searches share the table: the supervisor's list holds them too, so compare on these ledgers.
        var (items, _) = await AllPagesAsync(supervisor, "risk=imminent&pageSize=3", async () => await LogAsync(clients[round++ % 3], "C-RISK-LATE", "imminent"));

        var ours = items.Where(i => therapists.Contains(i.GetProperty("therapist").GetString()!)).Select(i => i.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ours.Count, ours.Distinct().Count());
        Assert.Subset(ours.ToHashSet(), imminent.ToHashSet());
        Assert.DoesNotContain(items, i => i.GetProperty("clientRef").GetString()!.StartsWith("C-RISK-", StringComparison.Ordinal) &&
            !imminent.Contains(i.GetProperty("id").GetString()!) && i.GetProperty("clientRef").GetString() != "C-RISK-LATE");
        foreach (var c in clients)
        {
            c.Dispose();
        }
    }

    [Fact]
    public async Task ListSearches_BadTokenOrPageSize_ProblemNamingTheParameter_TokenHoldsIdsOnly()
    {
        var owner = Guid.NewGuid().ToString("D");
        using var therapist = host.Client(owner, Role.Therapist);
        for (var i = 0; i < 3; i++)
        {
            await LogAsync(therapist, $"C-TOKEN-{i}");
        }
        var first = await Json(await therapist.GetAsync("api/searches?pageSize=1"));
        var next = first.GetProperty("next").GetString()!;

        var garbled = await therapist.GetAsync($"api/searches?pageSize=1&continuation={next[..^2]}!!");
        var tooBig = await therapist.GetAsync($"api/searches?pageSize=101&continuation={next}");
        var rest = await Json(await therapist.GetAsync($"api/searches?pageSize=100&continuation={next}"));

        foreach (var (response, field) in new[] { (garbled, "continuation"), (tooBig, "pageSize") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }
        Assert.Equal(2, rest.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next").ValueKind);
        Assert.DoesNotContain(first.GetProperty("items")[0].GetProperty("id").GetString(), rest.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal($"s1.{owner}.{Guid.Parse(first.GetProperty("items")[0].GetProperty("id").GetString()!):N}", Base64Url(next));
        Assert.Equal(SearchListQuery.Token(owner, Guid.Parse(first.GetProperty("items")[0].GetProperty("id").GetString()!)), next);
    }

    /// <summary>The continuation token of a URL, decoded ("" when there is none).</summary>
    private static string Base64Url(string urlOrToken)
    {
        var at = urlOrToken.IndexOf("continuation=", StringComparison.Ordinal);
        var token = at < 0 ? urlOrToken.Contains('?', StringComparison.Ordinal) ? "" : urlOrToken : Uri.UnescapeDataString(urlOrToken[(at + "continuation=".Length)..]);
        var base64 = token.Replace('-', '+').Replace('_', '/');
        return System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(base64 + new string('=', (4 - (base64.Length % 4)) % 4)));
    }
}

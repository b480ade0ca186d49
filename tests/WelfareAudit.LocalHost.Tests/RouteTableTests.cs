using System.Net;
using System.Text.Json;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http;

namespace WelfareAudit.LocalHost.Tests;

/// <summary>
/// The one route table (<see cref="Routes.All"/>) drives both hosts: the role and the rate budget it
/// declares are enforced by the shared dispatch, before the handler binds anything.
/// </summary>
[Collection(LocalHostCollection.Name)]
public class RouteTableTests(LocalHostFixture host)
{
    public static TheoryData<string, string> RoutesWithARole()
    {
        var data = new TheoryData<string, string>();
        foreach (var r in Routes.All.Where(r => r.Access is RouteAccess.Therapist or RouteAccess.Supervisor))
        {
            data.Add(r.Method, "/" + r.Template.Replace("{id}", "not-a-search-id", StringComparison.Ordinal));
        }
        return data;
    }

    /// <summary>The wrong role gets 403 even when the id, the query and the body are all bad: the table's role is checked first.</summary>
    [Theory]
    [MemberData(nameof(RoutesWithARole))]
    public async Task WrongRole_RefusedByTheTable_BeforeTheRequestIsBound(string method, string path)
    {
        var route = Routes.All.Single(r => r.Method == method && "/" + r.Template.Replace("{id}", "not-a-search-id", StringComparison.Ordinal) == path);
        var wrong = route.Access == RouteAccess.Therapist ? Role.Supervisor : Role.Therapist;
        using var client = host.Client(Guid.NewGuid().ToString("D"), wrong);
        using var request = new HttpRequestMessage(new HttpMethod(method), path + "?unknown=1");
        if (method != "GET")
        {
            request.Content = new StringContent("{ not json", System.Text.Encoding.UTF8, "text/plain");
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Equal(route.Access == RouteAccess.Therapist ? "The Therapist role is required." : "The Supervisor role is required.", detail);
    }

    [Fact]
    public void Table_EveryRouteOnceByName_AndByMethodAndTemplate()
    {
        Assert.Equal(Routes.All.Count, Routes.All.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Routes.All.Count, Routes.All.Select(r => (r.Method, r.Template)).Distinct().Count());
        Assert.All(Routes.All.Where(r => r.Budget is not null), r => Assert.True(r.RequiresIdentity, $"{r.Name} spends a per-caller budget but has no caller."));
    }
}

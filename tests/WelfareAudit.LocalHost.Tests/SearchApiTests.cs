using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http;
using WelfareAudit.Http.Identity;

namespace WelfareAudit.LocalHost.Tests;

/// <summary>The API end to end over real HTTP: local host on a free port, real Azurite, real key file.</summary>
[Collection(LocalHostCollection.Name)]
public class SearchApiTests(LocalHostFixture host)
{
    private static string NewId() => Guid.NewGuid().ToString("D");

    public static string ValidBody(string clientRef = "C-1001", string? justification = null)
    {
        var now = DateTimeOffset.UtcNow;
        return JsonSerializer.Serialize(new
        {
            clientRef,
            occurredAt = now.AddMinutes(-30),
            crisis = new
            {
                dangerSuspected = "Disclosed a plan last week; missed today's session.",
                riskLevel = "high",
                contactAttempts = new[] { new { channel = "missedAppointment", at = now.AddHours(-3) }, new { channel = "phone", at = now.AddHours(-2) } },
            },
            justification = justification ?? "No answer by phone or email after a missed session.",
            scope = new { sources = new[] { "searchEngine", "facebook" }, queries = new[] { "name town" } },
            findings = "A public post from this morning.",
            nextSessionAt = now.AddDays(2),
        });
    }

    private static async Task<JsonElement> Body(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.Equal((int)status, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
    }

    private async Task<string> LogAsync(HttpClient client, string? body = null)
    {
        var response = await client.PostAsync("api/searches", LocalHostFixture.Json(body ?? ValidBody()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Body(response)).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Health_NoIdentity_Ok()
    {
        using var client = host.Client(null);

        var response = await client.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await Body(response)).GetProperty("status").GetString());
    }

    public static TheoryData<string, string> IdentityRoutes()
    {
        var data = new TheoryData<string, string>();
        foreach (var r in Routes.All.Where(r => r.RequiresIdentity))
        {
            data.Add(r.Method, "/" + r.Template.Replace("{id}", Guid.NewGuid().ToString("D"), StringComparison.Ordinal));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(IdentityRoutes))]
    public async Task EveryIdentityRoute_NoPrincipal_401(string method, string path)
    {
        using var client = host.Client(null);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = LocalHostFixture.Json("{}") });

        await AssertProblem(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("e30=")]
    [InlineData("eyJjbGFpbXMiOlt7InR5cCI6InJvbGVzIiwidmFsIjoiVGhlcmFwaXN0In1dfQ==")]
    public async Task Searches_MalformedOrIncompletePrincipal_401(string header)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Add(ClientPrincipal.HeaderName, header);

        await AssertProblem(await client.GetAsync("api/searches"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Lifecycle_LogListDetailSessionDiscussAmendVerify()
    {
        var therapist = NewId();
        using var client = host.Client(therapist, Role.Therapist);

        var created = await client.PostAsync("api/searches", LocalHostFixture.Json(ValidBody("C-LIFE")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await Body(created)).GetProperty("id").GetString()!;
        Assert.Equal($"/api/searches/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(1, (await Body(created)).GetProperty("sequence").GetInt64());

        var awaiting = await Body(await client.GetAsync("api/searches?status=awaiting-discussion"));
        var item = Assert.Single(awaiting.GetProperty("items").EnumerateArray());
        Assert.Equal("C-LIFE", item.GetProperty("clientRef").GetString());
        Assert.StartsWith("WA-", item.GetProperty("reference").GetString(), StringComparison.Ordinal);

        var detail = await Body(await client.GetAsync($"api/searches/{id}"));
        Assert.Equal("high", detail.GetProperty("entry").GetProperty("crisis").GetProperty("riskLevel").GetString());

        var next = DateTimeOffset.UtcNow.AddDays(7);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"api/searches/{id}/next-session", LocalHostFixture.Json(JsonSerializer.Serialize(new { nextSessionAt = next })))).StatusCode);
        var discussion = LocalHostFixture.Json(JsonSerializer.Serialize(new { discussedAt = DateTimeOffset.UtcNow, note = "Talked it through.", clientResponse = "Understood" }));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"api/searches/{id}/discussion", discussion)).StatusCode);
        await AssertProblem(await client.PostAsync($"api/searches/{id}/discussion", LocalHostFixture.Json(JsonSerializer.Serialize(new { discussedAt = DateTimeOffset.UtcNow }))), HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"api/searches/{id}/amendments", LocalHostFixture.Json("""{"field":"findings","value":"Post was older.","reason":"Misread the date."}"""))).StatusCode);

        Assert.Empty((await Body(await client.GetAsync("api/searches?status=awaiting-discussion"))).GetProperty("items").EnumerateArray());
        Assert.Single((await Body(await client.GetAsync("api/searches?status=discussed"))).GetProperty("items").EnumerateArray());
        var verify = await Body(await client.GetAsync("api/ledger/verify"));
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.Equal(4, Assert.Single(verify.GetProperty("ledgers").EnumerateArray()).GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task RoleBoundaries_OwnerSupervisorOtherTherapistAndNoRole()
    {
        var owner = NewId();
        using var ownerClient = host.Client(owner, Role.Therapist);
        using var other = host.Client(NewId(), Role.Therapist);
        using var supervisor = host.Client(NewId(), Role.Supervisor);
        using var noRole = host.Client(NewId());
        var id = await LogAsync(ownerClient);

        // Another therapist cannot see or touch it, and cannot tell it exists.
        await AssertProblem(await other.GetAsync($"api/searches/{id}"), HttpStatusCode.NotFound);
        await AssertProblem(await other.PostAsync($"api/searches/{id}/discussion", LocalHostFixture.Json("""{"discussedAt":"2026-01-01T00:00:00Z"}""")), HttpStatusCode.NotFound);
        await AssertProblem(await other.GetAsync($"api/searches?therapist={owner}"), HttpStatusCode.Forbidden);
        Assert.DoesNotContain(id, await other.GetStringAsync("api/searches"), StringComparison.Ordinal);

        // A supervisor reads every ledger but does not log or change searches.
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync($"api/searches/{id}")).StatusCode);
        Assert.Contains(id, await supervisor.GetStringAsync($"api/searches?therapist={owner}"), StringComparison.Ordinal);
        // The list is paged (and holds every ledger of the shared host): the search is on one of its pages.
        var listed = (await SearchListPagingApiTests.AllPagesAsync(supervisor, "pageSize=100")).Items.Select(i => i.GetProperty("id").GetString());
        Assert.Contains(id, listed);
        await AssertProblem(await supervisor.PostAsync("api/searches", LocalHostFixture.Json(ValidBody())), HttpStatusCode.Forbidden);
        await AssertProblem(await supervisor.PutAsync($"api/searches/{id}/next-session", LocalHostFixture.Json("""{"nextSessionAt":null}""")), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync("api/ledger/verify")).StatusCode);

        // A signed-in caller without either role gets nothing.
        await AssertProblem(await noRole.GetAsync("api/searches"), HttpStatusCode.Forbidden);
        await AssertProblem(await noRole.PostAsync("api/searches", LocalHostFixture.Json(ValidBody())), HttpStatusCode.Forbidden);
        await AssertProblem(await noRole.GetAsync("api/ledger/verify"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task LogSearch_RetriedWithSameIdempotencyKey_OneEntrySameResponse()
    {
        using var client = host.Client(NewId(), Role.Therapist);
        var body = ValidBody("C-IDEM");
        var key = Guid.NewGuid().ToString();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "api/searches") { Content = LocalHostFixture.Json(body) };
            request.Headers.Add("Idempotency-Key", key);
            responses.Add(await client.SendAsync(request));
        }
        var different = new HttpRequestMessage(HttpMethod.Post, "api/searches") { Content = LocalHostFixture.Json(ValidBody("C-OTHER")) };
        different.Headers.Add("Idempotency-Key", key);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await Body(r)).GetProperty("id").GetString()));
        Assert.Single(ids.Distinct());
        Assert.Single((await Body(await client.GetAsync("api/searches"))).GetProperty("items").EnumerateArray());
        await AssertProblem(await client.SendAsync(different), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task LogSearch_32ConcurrentSubmissionsWithRetries_ExactlyOneEntryEach()
    {
        var therapist = NewId();
        using var client = host.Client(therapist, Role.Therapist);
        var keys = Enumerable.Range(0, 32).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var bodies = Enumerable.Range(0, 32).Select(i => ValidBody("C-" + i)).ToArray();

        async Task<HttpResponseMessage> Send(int i)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "api/searches") { Content = LocalHostFixture.Json(bodies[i]) };
            request.Headers.Add("Idempotency-Key", keys[i]);
            return await client.SendAsync(request);
        }

        // Each phone sends twice at once, as a retry on a flaky network would.
        var responses = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Send(i % 32)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var items = (await Body(await client.GetAsync("api/searches"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(32, items.Count);
        Assert.Equal(32, items.Select(i => i.GetProperty("clientRef").GetString()).Distinct().Count());
        var verify = await Body(await client.GetAsync("api/ledger/verify"));
        Assert.True(verify.GetProperty("ok").GetBoolean());
    }

    public static TheoryData<string, string, HttpStatusCode, string?> BadRequests()
    {
        var huge = "{\"clientRef\":\"" + new string('x', 70_000) + "\"}";
        return new TheoryData<string, string, HttpStatusCode, string?>
        {
            { "text/plain", ValidBody(), HttpStatusCode.UnsupportedMediaType, null },
            { "application/xml", "<a/>", HttpStatusCode.UnsupportedMediaType, null },
            { "application/json", huge, HttpStatusCode.RequestEntityTooLarge, null },
            { "application/json", "{", HttpStatusCode.BadRequest, "$" },
            { "application/json", "[]", HttpStatusCode.BadRequest, "$" },
            { "application/json", "null", HttpStatusCode.BadRequest, "$" },
            { "application/json", ValidBody().Replace("\"high\"", "3", StringComparison.Ordinal), HttpStatusCode.BadRequest, "crisis.riskLevel" },
            { "application/json", ValidBody().TrimEnd('}') + ",\"extra\":1}", HttpStatusCode.BadRequest, "$" },
            { "application/json", ValidBody().TrimEnd('}') + ",\"clientRef\":\"C-2\"}", HttpStatusCode.BadRequest, "clientRef" },
            { "application/json", ValidBody(justification: " "), HttpStatusCode.BadRequest, "justification" },
            { "application/json", ValidBody().Replace("\"phone\"", "\"pager\"", StringComparison.Ordinal), HttpStatusCode.BadRequest, "crisis.contactAttempts[1].channel" },
            { "application/json", ValidBody().Replace("\"occurredAt\":\"", "\"occurredAt\":\"x", StringComparison.Ordinal), HttpStatusCode.BadRequest, "occurredAt" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task LogSearch_BadInput_4xxProblemNamingFieldAndNothingWritten(string contentType, string body, HttpStatusCode status, string? field)
    {
        using var client = host.Client(NewId(), Role.Therapist);
        var content = new StringContent(body, System.Text.Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);

        var response = await client.PostAsync("api/searches", content);

        await AssertProblem(response, status);
        if (field is not null)
        {
            var errors = (await Body(response)).GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"Expected an error for '{field}', got {errors}");
        }
        Assert.Empty((await Body(await client.GetAsync("api/searches"))).GetProperty("items").EnumerateArray());
        Assert.Equal(0, Assert.Single((await Body(await client.GetAsync("api/ledger/verify"))).GetProperty("ledgers").EnumerateArray()).GetProperty("events").GetInt64());
    }

    [Theory]
    [InlineData("api/searches/not-a-guid")]
    [InlineData("api/searches/00000000-0000-0000-0000-000000000000")]
    [InlineData("api/searches?status=pending")]
    [InlineData("api/searches?therapist=x'%20or%20PartitionKey%20ne%20'")]
    public async Task Get_BadIdOrQuery_4xx(string path)
    {
        using var client = host.Client(NewId(), Role.Therapist);

        var response = await client.GetAsync(path);

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{path} gave {(int)response.StatusCode}");
        await AssertProblem(response, response.StatusCode);
    }

    [Fact]
    public async Task LogSearch_OverlongIdempotencyKey_400NamingTheHeader()
    {
        using var client = host.Client(NewId(), Role.Therapist);
        var request = new HttpRequestMessage(HttpMethod.Post, "api/searches") { Content = LocalHostFixture.Json(ValidBody()) };
        request.Headers.Add("Idempotency-Key", new string('k', 129));

        var response = await client.SendAsync(request);

        await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.True((await Body(response)).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }

    [Fact]
    public async Task PhonePage_ServedWithContentSecurityPolicy()
    {
        using var client = host.Client(null);

        var page = await client.GetAsync("/");
        var missing = await client.GetAsync("/../../etc/passwd");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task AdminApi_UnknownFunction_404()
    {
        using var client = host.Client(null);

        var response = await client.PostAsync("admin/functions/NoSuchFunction", null);

        await AssertProblem(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DiscussionAndAmendment_RetriedWithSameIdempotencyKey_RecordedOnce()
    {
        using var client = host.Client(NewId(), Role.Therapist);
        var id = await LogAsync(client);
        var discussion = JsonSerializer.Serialize(new { discussedAt = DateTimeOffset.UtcNow, note = "Talked." });
        var amendment = """{"field":"findings","value":"Corrected.","reason":"Typo."}""";
        var discussionKey = Guid.NewGuid().ToString();
        var amendmentKey = Guid.NewGuid().ToString();

        async Task<HttpResponseMessage> Send(string path, string body, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = LocalHostFixture.Json(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }

        var d1 = await Send($"api/searches/{id}/discussion", discussion, discussionKey);
        var d2 = await Send($"api/searches/{id}/discussion", discussion, discussionKey);
        var a1 = await Send($"api/searches/{id}/amendments", amendment, amendmentKey);
        var a2 = await Send($"api/searches/{id}/amendments", amendment, amendmentKey);

        Assert.All(new[] { d1, d2, a1, a2 }, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal((await Body(d1)).GetProperty("sequence").GetInt64(), (await Body(d2)).GetProperty("sequence").GetInt64());
        Assert.Equal((await Body(a1)).GetProperty("sequence").GetInt64(), (await Body(a2)).GetProperty("sequence").GetInt64());
        var detail = await Body(await client.GetAsync($"api/searches/{id}"));
        Assert.Single(detail.GetProperty("amendments").EnumerateArray());
        Assert.Equal(3, Assert.Single((await Body(await client.GetAsync("api/ledger/verify"))).GetProperty("ledgers").EnumerateArray()).GetProperty("events").GetInt64());
    }
    [Fact]
    public async Task EveryWrite_RetriedWithSameIdempotencyKey_AnswersIdempotentReplayed()
    {
        using var client = host.Client(NewId(), Role.Therapist);
        var id = await LogAsync(client);
        var writes = new (HttpMethod Method, string Path, string Body)[]
        {
            (HttpMethod.Post, "api/searches", ValidBody("C-REPLAY")),
            (HttpMethod.Put, $"api/searches/{id}/next-session", JsonSerializer.Serialize(new { nextSessionAt = DateTimeOffset.UtcNow.AddDays(3) })),
            (HttpMethod.Post, $"api/searches/{id}/amendments", """{"field":"findings","value":"Corrected.","reason":"Typo."}"""),
            (HttpMethod.Post, $"api/searches/{id}/discussion", JsonSerializer.Serialize(new { discussedAt = DateTimeOffset.UtcNow })),
        };

        foreach (var (method, path, body) in writes)
        {
            var key = Guid.NewGuid().ToString();
            var first = await SendAsync(client, method, path, body, key);
            var retry = await SendAsync(client, method, path, body, key);

            Assert.True(first.IsSuccessStatusCode, $"{method} {path}: {(int)first.StatusCode}");
            Assert.False(first.Headers.Contains("Idempotent-Replayed"), $"{method} {path}: the original is no replay");
            Assert.Equal(first.StatusCode, retry.StatusCode);
            Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
            Assert.Equal((await Body(first)).GetProperty("sequence").GetInt64(), (await Body(retry)).GetProperty("sequence").GetInt64());
        }
    }

    [Fact]
    public async Task IdempotencyKey_PathCaseOrTrailingSlashChanged_ReplaysTheOriginal()
    {
        using var client = host.Client(NewId(), Role.Therapist);
        var id = await LogAsync(client);
        var body = ValidBody("C-SCOPE");
        var key = Guid.NewGuid().ToString();
        var discussion = JsonSerializer.Serialize(new { discussedAt = DateTimeOffset.UtcNow });
        var discussionKey = Guid.NewGuid().ToString();

        var first = await SendAsync(client, HttpMethod.Post, "api/searches", body, key);
        var upper = await SendAsync(client, HttpMethod.Post, "API/Searches", body, key);
        var slash = await SendAsync(client, HttpMethod.Post, "api/searches/", body, key);
        var d1 = await SendAsync(client, HttpMethod.Post, $"api/searches/{id}/discussion", discussion, discussionKey);
        var d2 = await SendAsync(client, HttpMethod.Post, $"api/searches/{id.ToUpperInvariant()}/Discussion/", discussion, discussionKey);

        var ids = await Task.WhenAll(new[] { first, upper, slash }.Select(async r => (await Body(r)).GetProperty("id").GetString()));
        Assert.Single(ids.Distinct());
        Assert.Equal(2, (await Body(await client.GetAsync("api/searches"))).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.Created, d1.StatusCode);
        Assert.Equal(HttpStatusCode.Created, d2.StatusCode);
        Assert.Equal("true", Assert.Single(d2.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal((await Body(d1)).GetProperty("sequence").GetInt64(), (await Body(d2)).GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task IdempotencyRow_HoldsNoUnkeyedHashOfTheRequest()
    {
        var therapist = NewId();
        using var client = host.Client(therapist, Role.Therapist);
        var body = ValidBody("C-GUESS-" + Guid.NewGuid().ToString("N")[..8]);

        var response = await SendAsync(client, HttpMethod.Post, "api/searches", body, Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var table = new Azure.Data.Tables.TableClient(host.Azurite.ConnectionString, host.TableName);
        var row = Assert.Single(await table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == therapist).ToListAsync(), r => r.RowKey.StartsWith("idem-", StringComparison.Ordinal));
        // What an attacker reading the table would compute for a guessed body: it must match nothing stored.
        var guess = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body)));
        Assert.All(row.Where(p => p.Value is string), p => Assert.DoesNotContain(guess, (string)p.Value!, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string body, string key)
    {
        var request = new HttpRequestMessage(method, path) { Content = LocalHostFixture.Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }
}

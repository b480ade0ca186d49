using System.Net;
using System.Text.Json;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;

namespace WelfareAudit.LocalHost.Tests;

/// <summary>
/// The supervisor's routes end to end over real HTTP (local host, Azurite, key file): the role matrix with the
/// both-roles case, the review appended idempotently and shown to the therapist, the queue and its paging, the
/// oversight view, and the review in every export format (the bundle verifying with the published key).
/// </summary>
[Collection(LocalHostCollection.Name)]
public class ReviewApiTests(LocalHostFixture host)
{
    private const string Concern = """{"outcome":"concern","note":"Talk about the threshold at supervision."}""";

    private static string NewId() => Guid.NewGuid().ToString("D");

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task<string> LogAsync(HttpClient therapist, string clientRef)
    {
        var response = await therapist.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody(clientRef)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json(response)).GetProperty("id").GetString()!;
    }

    private static async Task AssertStatus(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {text}");
        if ((int)status >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task RoleMatrix_EveryRoute_TherapistNoRoleAndBothRolesOnTheirOwnSearch()
    {
        var owner = NewId();
        using var therapist = host.Client(owner, Role.Therapist);
        using var ownerWithBothRoles = host.Client(owner, Role.Therapist, Role.Supervisor);
        using var otherWithBothRoles = host.Client(NewId(), Role.Therapist, Role.Supervisor);
        using var noRole = host.Client(NewId());
        using var anonymous = host.Client(null);
        var id = await LogAsync(therapist, "C-MATRIX-1");
        string[] reads = ["api/reviews", "api/oversight"];

        foreach (var path in reads)
        {
            await AssertStatus(await therapist.GetAsync(path), HttpStatusCode.Forbidden);
            await AssertStatus(await noRole.GetAsync(path), HttpStatusCode.Forbidden);
            await AssertStatus(await anonymous.GetAsync(path), HttpStatusCode.Unauthorized);
            await AssertStatus(await ownerWithBothRoles.GetAsync(path), HttpStatusCode.OK);
        }
        await AssertStatus(await therapist.PostAsync($"api/searches/{id}/review", LocalHostFixture.Json(Concern)), HttpStatusCode.Forbidden);
        await AssertStatus(await noRole.PostAsync($"api/searches/{id}/review", LocalHostFixture.Json(Concern)), HttpStatusCode.Forbidden);
        await AssertStatus(await anonymous.PostAsync($"api/searches/{id}/review", LocalHostFixture.Json(Concern)), HttpStatusCode.Unauthorized);
        // Both roles: never their own search; another therapist's, yes.
        await AssertStatus(await ownerWithBothRoles.PostAsync($"api/searches/{id}/review", LocalHostFixture.Json(Concern)), HttpStatusCode.Forbidden);
        var detail = await Json(await therapist.GetAsync($"api/searches/{id}"));
        Assert.Empty(detail.GetProperty("reviews").EnumerateArray());
        await AssertStatus(await otherWithBothRoles.PostAsync($"api/searches/{id}/review", LocalHostFixture.Json(Concern)), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Review_LoggedReviewedReplayedShownExportedAndVerified()
    {
        var owner = NewId();
        var supervisorId = NewId();
        using var therapist = host.Client(owner, Role.Therapist);
        using var supervisor = host.Client(supervisorId, Role.Supervisor);
        var id = await LogAsync(therapist, "C-REVIEW-1");
        var other = await LogAsync(therapist, "C-REVIEW-2");
        var queued = await Json(await supervisor.GetAsync($"api/reviews?therapist={owner}"));
        Assert.Equal(new[] { id, other }.Order(StringComparer.Ordinal), queued.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));

        using var first = new HttpRequestMessage(HttpMethod.Post, $"api/searches/{id}/review") { Content = LocalHostFixture.Json(Concern) };
        first.Headers.Add("Idempotency-Key", "review-" + id);
        using var created = await supervisor.SendAsync(first);
        using var retry = new HttpRequestMessage(HttpMethod.Post, $"api/searches/{id}/review") { Content = LocalHostFixture.Json(Concern) };
        retry.Headers.Add("Idempotency-Key", "review-" + id);
        using var replayed = await supervisor.SendAsync(retry);
        using var again = await supervisor.PostAsync($"api/searches/{id}/review", LocalHostFixture.Json("""{"outcome":"appropriate"}"""));

        await AssertStatus(created, HttpStatusCode.Created);
        var body = await Json(created);
        Assert.Equal((id, "concern", supervisorId), (body.GetProperty("id").GetString(), body.GetProperty("outcome").GetString(), body.GetProperty("reviewer").GetString()));
        await AssertStatus(replayed, HttpStatusCode.Created);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(body.GetProperty("reviewedAt").GetString(), (await Json(replayed)).GetProperty("reviewedAt").GetString());
        await AssertStatus(again, HttpStatusCode.Conflict);

        // The therapist sees the outcome; the queue no longer holds the search.
        var review = Assert.Single((await Json(await therapist.GetAsync($"api/searches/{id}"))).GetProperty("reviews").EnumerateArray());
        Assert.Equal(("concern", supervisorId, "Talk about the threshold at supervision."),
            (review.GetProperty("outcome").GetString(), review.GetProperty("reviewer").GetString(), review.GetProperty("note").GetString()));
        var queue = await Json(await supervisor.GetAsync($"api/reviews?therapist={owner}"));
        Assert.Equal([other], queue.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        var verify = await Json(await therapist.GetAsync("api/ledger/verify"));
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.Equal(3, Assert.Single(verify.GetProperty("ledgers").EnumerateArray()).GetProperty("events").GetInt64());

        // Every export carries it; the bundle verifies with the published key.
        var pem = (await Json(await supervisor.GetAsync("api/audit/signing-key"))).GetProperty("publicKey").GetString();
        var bundle = await supervisor.GetByteArrayAsync($"api/audit/export?format=bundle&therapist={owner}");
        var verified = await AuditBundleVerifier.VerifyAsync(new MemoryStream(bundle), pem, null, CancellationToken.None);
        Assert.True(verified.Ok, verified.Problem?.ToString());
        var reviewLine = Assert.Single(System.Text.Encoding.UTF8.GetString(bundle).Split('\n'), l => l.Contains("\"SupervisorReviewed\"", StringComparison.Ordinal));
        Assert.Contains("\"outcome\":\"concern\"", reviewLine, StringComparison.Ordinal);
        Assert.Contains("\"reviewer\":\"" + supervisorId + "\"", reviewLine, StringComparison.Ordinal);
        var csv = await supervisor.GetStringAsync($"api/audit/export?format=csv&therapist={owner}");
        Assert.Contains("\"reviewOutcome\",\"reviewedAt\",\"reviewer\"", csv.Split("\r\n")[0], StringComparison.Ordinal);
        var row = Assert.Single(csv.Split("\r\n"), l => l.Contains(id, StringComparison.Ordinal));
        Assert.Matches($"\"concern\",\"[0-9T:.Z-]+\",\"{supervisorId}\"$", row);
        var fhir = await Json(await supervisor.GetAsync($"api/audit/export?format=fhir&therapist={owner}"));
        var audit = Assert.Single(fhir.GetProperty("entry").EnumerateArray(), e => e.GetProperty("resource").GetProperty("outcomeDesc").GetString() == "SupervisorReviewed");
        var who = Assert.Single(audit.GetProperty("resource").GetProperty("agent").EnumerateArray()).GetProperty("who").GetProperty("identifier");
        Assert.Equal((AuditFhirWriter.SupervisorSystem, supervisorId), (who.GetProperty("system").GetString(), who.GetProperty("value").GetString()));
        var html = await supervisor.GetStringAsync($"api/audit/export?format=html&therapist={owner}");
        Assert.Contains("<dt>Supervisor review</dt><dd>concern by " + supervisorId, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queue_PagedOldestFirst_TheTokenContinuesAndTheLastPageHasNoNext()
    {
        var owner = NewId();
        using var therapist = host.Client(owner, Role.Therapist);
        using var supervisor = host.Client(NewId(), Role.Supervisor);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await LogAsync(therapist, "C-PAGE-" + i));
        }

        var seen = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await Json(await supervisor.GetAsync($"api/reviews?therapist={owner}&pageSize=1" + (next is null ? "" : "&continuation=" + Uri.EscapeDataString(next))));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
            pages++;
        }
        while (next is not null && pages < 10);

        Assert.Equal(ids, seen);
        Assert.Equal(3, pages);
        var item = (await Json(await supervisor.GetAsync($"api/reviews?therapist={owner}&risk=high&overdue=false"))).GetProperty("items")[0];
        Assert.Equal(["id", "reference", "therapist", "occurredAt", "loggedAt", "risk", "status", "nextSessionAt", "discussedAt", "overdue", "remindersSent", "escalated"],
            item.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain("C-PAGE", item.GetRawText(), StringComparison.Ordinal);
        Assert.Empty((await Json(await supervisor.GetAsync($"api/reviews?therapist={owner}&risk=low"))).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Oversight_ShapeRarityAndBacklog_WithoutClientCodes()
    {
        var owner = NewId();
        using var therapist = host.Client(owner, Role.Therapist);
        using var supervisor = host.Client(NewId(), Role.Supervisor);
        await LogAsync(therapist, "C-OVERSIGHT-1");
        await LogAsync(therapist, "C-OVERSIGHT-1");

        var response = await supervisor.GetAsync("api/oversight");

        await AssertStatus(response, HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("C-OVERSIGHT", text, StringComparison.Ordinal);
        var view = JsonDocument.Parse(text).RootElement;
        Assert.Equal(["asOf", "overdue", "escalations", "rarity", "awaitingReview", "unreadable"], view.EnumerateObject().Select(p => p.Name));
        Assert.True(view.GetProperty("awaitingReview").GetInt32() >= 2);
        var rarity = view.GetProperty("rarity");
        Assert.Equal(1, rarity.GetProperty("perClientThreshold").GetInt32());
        var mine = Assert.Single(rarity.GetProperty("therapists").EnumerateArray(), t => t.GetProperty("therapist").GetString() == owner);
        Assert.Equal(2, mine.GetProperty("searches").GetInt32());
        var client = Assert.Single(rarity.GetProperty("clients").EnumerateArray(), c => c.GetProperty("therapist").GetString() == owner);
        Assert.Matches("^C-[0-9A-F]{10}$", client.GetProperty("client").GetString());
        Assert.Equal((2, true), (client.GetProperty("searches").GetInt32(), client.GetProperty("over").GetBoolean()));
    }
}

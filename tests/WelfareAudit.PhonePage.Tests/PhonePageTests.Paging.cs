using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Searches;
using static Microsoft.Playwright.Assertions;

namespace WelfareAudit.PhonePage.Tests;

/// <summary>The list of more searches than one page of <c>GET /api/searches</c> holds (issue 14): the page follows every page.</summary>
public sealed partial class PhonePageTests
{
    [Fact]
    public async Task List_MoreSearchesThanOnePage_FollowsEveryPageAndShowsEachSearchOnce()
    {
        var therapist = NewTherapist();
        var searches = host.Services.GetRequiredService<CrisisSearchService>();
        var caller = new Caller(therapist, new HashSet<Role> { Role.Therapist });
        var logged = new List<string>();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < SearchListQuery.MaxPageSize + 5; i++)
        {
            var clientRef = $"C-MANY-{i:D3}";
            var draft = JsonSerializer.Deserialize<CrisisSearchDraft>(JsonSerializer.Serialize(new
            {
                clientRef,
                occurredAt = now.AddMinutes(-30 - i),
                crisis = new { dangerSuspected = "Missed a session after a disclosure.", riskLevel = "high", contactAttempts = new[] { new { channel = "phone", at = now.AddHours(-3) } } },
                justification = "No answer by phone.",
                scope = new { sources = new[] { "blog" } },
            }), JsonSerializerOptions.Web);
            await searches.LogAsync(caller, draft, null, CancellationToken.None);
            logged.Add(clientRef);
        }
        await using var context = await host.PhoneAsync(therapist);
        var page = await context.NewPageAsync();
        var lists = new ConcurrentQueue<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/searches?", StringComparison.Ordinal))
            {
                lists.Enqueue(request.Url);
            }
        };

        await page.GotoAsync("/");

        await Expect(page.GetByTestId("list-status")).ToHaveTextAsync($"{logged.Count} searches awaiting discussion.");
        var shown = await page.GetByTestId("item-client").AllTextContentsAsync();
        Assert.Equal(logged.Order(StringComparer.Ordinal), shown.Order(StringComparer.Ordinal));
        // Newest first, as ever: the phone sorts what the pages brought (awaiting, none with a next session).
        Assert.Equal(logged, shown);
        var urls = lists.ToList();
        Assert.Equal(2, urls.Count);
        Assert.Contains("pageSize=100", urls[0], StringComparison.Ordinal);
        Assert.DoesNotContain("continuation=", urls[0], StringComparison.Ordinal);
        Assert.Contains("continuation=", urls[1], StringComparison.Ordinal);
    }
}

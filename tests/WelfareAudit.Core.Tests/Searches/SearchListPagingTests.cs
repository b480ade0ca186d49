using System.Text;
using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Tests.Support;
using WelfareAudit.Core.Validation;
using WelfareAudit.Testing;
using static WelfareAudit.Core.Tests.Support.UseCaseWorld;

namespace WelfareAudit.Core.Tests.Searches;

/// <summary>
/// The paged search list (issue 14) on the in-memory ledger: page by page, each search exactly once, also while searches
/// are logged or discussed between pages and with filters; tokens that carry no client data and are refused when they
/// are not this list's.
/// </summary>
public class SearchListPagingTests
{
    private const string TherapistC = "0b8f6f2e-1a51-4c3e-9d7a-6f1f9a1b2c03";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly UseCaseWorld _world = new();
    private CrisisSearchService Sut => _world.Searches;

    private async Task<Guid> LogAsync(string therapist, string clientRef, string risk)
    {
        var draft = _world.Draft(clientRef);
        draft.Crisis!.RiskLevel = risk;
        return (await Sut.LogAsync(Therapist(therapist), draft, null, None)).SearchId!.Value;
    }

    /// <summary>Follows <c>next</c> to the end, running <paramref name="between"/> after each page; every item of every page, in order.</summary>
    private async Task<List<SearchSummary>> AllPagesAsync(Core.Identity.Caller caller, string? status, string? therapist, string? risk, int pageSize,
        Func<int, Task>? between = null, List<SearchPage>? pages = null)
    {
        var items = new List<SearchSummary>();
        string? next = null;
        for (var n = 0; ; n++)
        {
            Assert.True(n < 200, "the list did not end");
            var page = await Sut.ListPageAsync(caller, SearchListQuery.Parse(status, therapist, risk, pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), next), None);
            pages?.Add(page);
            Assert.True(page.Items.Count <= pageSize);
            items.AddRange(page.Items);
            if (page.Next is null)
            {
                return items;
            }
            next = page.Next;
            if (between is not null)
            {
                await between(n);
            }
        }
    }

    [Fact]
    public async Task ListPageAsync_PageByPage_EverySearchExactlyOnce_WhileSearchesAreLoggedBetweenPages()
    {
        var before = new List<Guid>();
        for (var i = 0; i < 23; i++)
        {
            before.Add(await _world.LogAsync(TherapistA, $"C-P{i:D2}"));
        }
        var during = new List<Guid>();
        var pages = new List<SearchPage>();

        var listed = await AllPagesAsync(Therapist(TherapistA), null, null, null, 5, async _ =>
        {
            during.Add(await _world.LogAsync(TherapistA, "C-NEW-1"));
            during.Add(await _world.LogAsync(TherapistA, "C-NEW-2"));
        }, pages);

        var ids = listed.Select(s => s.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Subset(ids.ToHashSet(), before.ToHashSet());
        Assert.Subset(before.Concat(during).ToHashSet(), ids.ToHashSet());
        Assert.All(pages.SkipLast(1), p => Assert.Equal(5, p.Items.Count));
        // In the listing's order (the rows' order, so one query answers each page), with the client codes as logged.
        Assert.Equal(ids.OrderBy(SearchListing.OrderKey, StringComparer.Ordinal), ids);
        Assert.All(listed.Where(s => before.Contains(s.Id)), s => Assert.Equal($"C-P{before.IndexOf(s.Id):D2}", s.ClientRef));
        Assert.All(listed.Where(s => during.Contains(s.Id)), s => Assert.StartsWith("C-NEW-", s.ClientRef, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListPageAsync_SupervisorWithRiskFilter_EveryMatchingSearchOfEveryLedgerExactlyOnce_WhileSearchesAreLogged()
    {
        string[] ledgers = [TherapistA, TherapistB, TherapistC];
        var high = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            var risk = i % 3 == 0 ? "high" : "low";
            var id = await LogAsync(ledgers[i % ledgers.Length], $"C-R{i:D2}", risk);
            if (risk == "high")
            {
                high.Add(id);
            }
        }

        var listed = await AllPagesAsync(Supervisor, null, null, "high", 3, async n =>
        {
            await LogAsync(ledgers[n % ledgers.Length], "C-LATE-HIGH", "high");
            await LogAsync(ledgers[(n + 1) % ledgers.Length], "C-LATE-LOW", "low");
        });

        var ids = listed.Select(s => s.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Subset(ids.ToHashSet(), high.ToHashSet());
        Assert.DoesNotContain(listed, s => s.ClientRef.Contains("LOW", StringComparison.Ordinal) || (s.ClientRef.StartsWith("C-R", StringComparison.Ordinal) && !high.Contains(s.Id)));
        Assert.Equal(ids.Select(id => listed.Single(s => s.Id == id).Therapist).ToList(), ids.Select(id => listed.Single(s => s.Id == id).Therapist).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task ListPageAsync_StatusFilter_SearchesDiscussedBetweenPages_NeverListedTwice()
    {
        var awaiting = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            awaiting.Add(await _world.LogAsync(TherapistA, $"C-S{i:D2}"));
        }
        var discussed = new List<Guid>();

        var listed = await AllPagesAsync(Therapist(TherapistA), SearchStatusText.AwaitingDiscussion, null, null, 4, async _ =>
        {
            var target = awaiting.Except(discussed).Last();
            await Sut.RecordDiscussionAsync(Therapist(TherapistA), target, new DiscussionDraft { DiscussedAt = _world.Time.GetUtcNow().AddMinutes(-1) }, null, None);
            discussed.Add(target);
        });

        var ids = listed.Select(s => s.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(listed, s => Assert.Equal(SearchStatusText.AwaitingDiscussion, s.Status));
        // Every search awaiting discussion for the whole listing is in it.
        Assert.Subset(ids.ToHashSet(), awaiting.Except(discussed).ToHashSet());
    }

    [Fact]
    public async Task ListPageAsync_AFilterThatKeepsFew_AnswersShortPagesWithNext_AndStillListsEachMatchOnce()
    {
        var draft = _world.Draft("C-MANY");
        draft.Crisis!.RiskLevel = "low";
        for (var i = 0; i < CrisisSearchService.ScanBudget + 30; i++)
        {
            await Sut.LogAsync(Therapist(TherapistA), draft, null, None);
        }
        var imminent = new[] { await LogAsync(TherapistA, "C-IMM-1", "imminent"), await LogAsync(TherapistA, "C-IMM-2", "imminent") };
        var pages = new List<SearchPage>();

        var listed = await AllPagesAsync(Therapist(TherapistA), null, null, "imminent", 100, null, pages);

        Assert.Equal(imminent.Order(), listed.Select(s => s.Id).Order());
        Assert.Equal(2, pages.Count);
        Assert.NotNull(pages[0].Next);
    }

    [Fact]
    public async Task ListPageAsync_Token_HoldsNoClientDataAndIsRefusedOutsideItsList()
    {
        for (var i = 0; i < 3; i++)
        {
            await _world.LogAsync(TherapistA, "C-SECRET-CODE");
        }
        await _world.LogAsync(TherapistB, "C-OTHER");
        var page = await Sut.ListPageAsync(Therapist(TherapistA), SearchListQuery.Parse(null, null, null, "1", null), None);
        var token = page.Next!;
        var position = Encoding.ASCII.GetString(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (token.Length % 4)) % 4)));

        Assert.Equal($"s1.{TherapistA}.{page.Items[0].Id:N}", position);
        Assert.DoesNotContain("SECRET", position, StringComparison.Ordinal);
        // Another therapist cannot use it, nor a supervisor listing another therapist.
        var other = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.ListPageAsync(Therapist(TherapistB), SearchListQuery.Parse(null, null, null, null, token), None));
        var filtered = await Assert.ThrowsAsync<ValidationFailedException>(() => Sut.ListPageAsync(Supervisor, SearchListQuery.Parse(null, TherapistB, null, null, token), None));
        Assert.True(other.Errors.Contains("continuation"));
        Assert.True(filtered.Errors.Contains("continuation"));
        // A supervisor listing every ledger resumes from it.
        var resumed = await Sut.ListPageAsync(Supervisor, SearchListQuery.Parse(null, null, null, "100", token), None);
        Assert.Equal(3, resumed.Items.Count);
        Assert.DoesNotContain(resumed.Items, s => s.Id == page.Items[0].Id);
    }

    [Theory]
    [InlineData("0", null, "pageSize")]
    [InlineData("101", null, "pageSize")]
    [InlineData("-1", null, "pageSize")]
    [InlineData("1e2", null, "pageSize")]
    [InlineData(null, "garbled!", "continuation")]
    [InlineData(null, "czEuYWJjLm5vdC1hLWd1aWQ", "continuation")] // s1.abc.not-a-guid
    [InlineData(null, "cjEuMS4y", "continuation")] // a review queue token's shape
    public void Parse_BadPageSizeOrToken_NamesTheParameter(string? pageSize, string? continuation, string field)
    {
        var refused = Assert.Throws<ValidationFailedException>(() => SearchListQuery.Parse(null, null, null, pageSize, continuation));

        Assert.Equal([field], refused.Errors.ToDictionary().Keys);
    }
}

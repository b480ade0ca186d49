using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WelfareAudit.Http;

namespace WelfareAudit.LocalHost.Tests;

/// <summary>
/// The two hosts must expose the same functions. The truth for Azure is the functions.metadata file the
/// Functions SDK generates at build time from the trigger attributes; the local host must match it.
/// </summary>
[Collection(LocalHostCollection.Name)]
public class FunctionsMetadataConformanceTests(LocalHostFixture host)
{
    private static JsonElement[] Metadata()
    {
        var path = typeof(FunctionsMetadataConformanceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "FunctionsMetadata").Value!;
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}: build functions/WelfareAudit.Functions first.");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    private static IEnumerable<(string Name, string Method, string Route, string AuthLevel)> HttpFunctions() =>
        from f in Metadata()
        from b in f.GetProperty("bindings").EnumerateArray()
        where b.GetProperty("type").GetString() == "httpTrigger"
        from m in b.GetProperty("methods").EnumerateArray()
        select (f.GetProperty("name").GetString()!, m.GetString()!.ToUpperInvariant(), b.GetProperty("route").GetString()!, b.GetProperty("authLevel").GetString()!);

    [Fact]
    public void LocalHostRoutes_EqualFunctionsMetadataRoutes()
    {
        var local = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods
                .Select(m => (Name: e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, Method: m, Route: e.RoutePattern.RawText!.TrimStart('/'))))
            .OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ToList();

        var azure = HttpFunctions().Select(f => (f.Name, f.Method, f.Route))
            .OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ToList();

        Assert.NotEmpty(azure);
        Assert.Equal(azure, local);
    }

    [Fact]
    public void FunctionsMetadata_EveryHttpFunctionIsAnonymous_IdentityComesFromThePlatform()
    {
        Assert.All(HttpFunctions(), f => Assert.Equal("Anonymous", f.AuthLevel));
    }

    [Fact]
    public void FunctionsMetadata_MatchesTheSharedRouteTable()
    {
        var azure = HttpFunctions().Select(f => (f.Name, f.Method, f.Route)).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var table = Routes.All.Select(r => (r.Name, r.Method, r.Template)).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();

        Assert.Equal(table, azure);
    }

    [Fact]
    public void TimerFunctions_LocalHostRunsTheSameJobsOnTheSameScheduleSettings()
    {
        var azure = (from f in Metadata()
                     from b in f.GetProperty("bindings").EnumerateArray()
                     where b.GetProperty("type").GetString() == "timerTrigger"
                     select (Name: f.GetProperty("name").GetString()!, Schedule: b.GetProperty("schedule").GetString()!))
            .OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var local = TimerJobs.All.Select(j => (j.Name, Schedule: "%" + j.ScheduleSetting + "%")).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

        Assert.NotEmpty(azure);
        Assert.Equal(azure, local);
    }

    [Fact]
    public void TimerJobs_DefaultSchedulesParseAsSixFieldNcrontab()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();

        Assert.All(TimerJobs.All, job => Assert.NotNull(TimerJobs.Schedule(job, configuration)));
    }
}

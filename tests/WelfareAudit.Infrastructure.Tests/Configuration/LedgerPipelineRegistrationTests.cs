using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Telemetry;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Configuration;
using WelfareAudit.Infrastructure.Storage;

namespace WelfareAudit.Infrastructure.Tests.Configuration;

public class LedgerPipelineRegistrationTests
{
    private static ServiceProvider Build(int maxAppendAttempts)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WelfareAudit:Storage:MaxAppendAttempts"] = maxAppendAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddWelfareAuditInfrastructure(configuration);
        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public async Task AddWelfareAuditInfrastructure_LedgerAppendPipeline_RetriesConflictUpToConfiguredAttempts(int attempts)
    {
        // Arrange
        await using var provider = Build(attempts);
        var pipeline = provider.GetRequiredKeyedService<ResiliencePipeline>(LedgerAppendPipeline.Key);
        var calls = 0;

        // Act: every attempt loses the ETag race.
        await Assert.ThrowsAsync<LedgerConflictException>(async () => await pipeline.ExecuteAsync(_ =>
        {
            calls++;
            return ValueTask.FromException(new LedgerConflictException("Another writer extended the ledger first."));
        }, CancellationToken.None));

        // Assert
        Assert.Equal(attempts, calls);
        Assert.Same(pipeline, provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(LedgerAppendPipeline.Key));
    }

    [Fact]
    public async Task AddWelfareAuditInfrastructure_LedgerAppendPipeline_OtherFailuresAreNotRetried()
    {
        // Arrange
        await using var provider = Build(5);
        var pipeline = provider.GetRequiredKeyedService<ResiliencePipeline>(LedgerAppendPipeline.Key);
        var calls = 0;

        // Act
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await pipeline.ExecuteAsync(_ =>
        {
            calls++;
            return ValueTask.FromException(new InvalidOperationException("not a race"));
        }, CancellationToken.None));

        // Assert
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task AddWelfareAuditInfrastructure_WithoutReminders_PollyResultsLoggedAsTypeNames()
    {
        // Arrange
        await using var provider = Build(3);

        // Act
        var format = provider.GetRequiredService<IOptions<TelemetryOptions>>().Value.ResultFormatter;

        // Assert
        Assert.Equal("String", format(ResilienceContextPool.Shared.Get(), "client code K-1234"));
    }
}

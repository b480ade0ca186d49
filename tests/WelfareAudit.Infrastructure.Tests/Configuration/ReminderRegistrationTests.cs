using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;
using WelfareAudit.Infrastructure.Reminders;

namespace WelfareAudit.Infrastructure.Tests.Configuration;

public class ReminderRegistrationTests
{
    [Fact]
    public void AddWelfareAuditReminders_OnePipelinePerChannel_ResultsLoggedAsTypeNames()
    {
        // Arrange
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddWelfareAuditReminders(configuration);
        using var provider = services.BuildServiceProvider();

        // Act
        var smtp = provider.GetRequiredKeyedService<ResiliencePipeline>(DeliveryPipeline.Smtp);
        var webhook = provider.GetRequiredKeyedService<ResiliencePipeline>(DeliveryPipeline.Webhook);
        var format = provider.GetRequiredService<IOptions<TelemetryOptions>>().Value.ResultFormatter;

        // Assert: separate pipelines (a circuit breaker each), and a result is logged as its type only.
        Assert.NotSame(smtp, webhook);
        Assert.Same(smtp, provider.GetRequiredKeyedService<ResiliencePipeline>(DeliveryPipeline.Smtp));
        Assert.Equal("String", format(ResilienceContextPool.Shared.Get(), "250 2.0.0 Ok: queued for therapist@practice.test"));
    }
}

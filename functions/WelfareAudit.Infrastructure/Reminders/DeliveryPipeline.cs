using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using WelfareAudit.Infrastructure.Configuration;

namespace WelfareAudit.Infrastructure.Reminders;

/// <summary>
/// Timeout per attempt, retry with jittered backoff, and a circuit breaker, registered once per delivery
/// channel by key (Polly.Extensions): the breaker's state is per key, so an SMTP outage never opens the
/// webhook's circuit. Telemetry (logs and the <c>Polly</c> meter) comes with the registration.
/// </summary>
public static class DeliveryPipeline
{
    public const string Smtp = "reminders-smtp";

    public const string Webhook = "reminders-webhook";

    public static IServiceCollection AddDeliveryPipelines(this IServiceCollection services)
    {
        foreach (var key in new[] { Smtp, Webhook })
        {
            services.AddResiliencePipeline(key, (builder, context) =>
            {
                var settings = context.ServiceProvider.Settings<ReminderSettings>().Delivery;
                builder.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                builder
                    .AddRetry(new RetryStrategyOptions
                    {
                        ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not (BrokenCircuitException or OperationCanceledException) || e is TimeoutRejectedException),
                        MaxRetryAttempts = Math.Max(0, settings.Attempts - 1),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = settings.InitialDelay,
                    })
                    .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                    {
                        FailureRatio = 0.5,
                        MinimumThroughput = 4,
                        SamplingDuration = TimeSpan.FromMinutes(2),
                        BreakDuration = settings.BreakDuration,
                    })
                    .AddTimeout(settings.AttemptTimeout);
            });
        }
        services.AddPollyResultsAsTypeNames();
        return services;
    }
}

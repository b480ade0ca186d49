using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace WelfareAudit.Infrastructure.Reminders;

/// <summary>Timeout per attempt, retry with jittered backoff, and a circuit breaker, for one delivery channel.</summary>
public static class DeliveryPipeline
{
    public static ResiliencePipeline Create(DeliverySettings settings, TimeProvider time) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
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
            .AddTimeout(settings.AttemptTimeout)
            .Build();
}

using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// The ledger append's pipeline: one overall deadline around a retry of the ETag race. Polly only for what
/// the SDK does not do: a 409/412 is not transient to the SDK, so it never retries it; transient HTTP
/// faults are the SDK's own retry. Registered once by <see cref="Key"/> (Polly.Extensions, with telemetry);
/// <see cref="Build"/> makes the same pipeline for a ledger constructed without DI (tests, tools).
/// </summary>
public static partial class LedgerAppendPipeline
{
    public const string Key = "ledger-append";

    /// <summary>Adds the strategies to <paramref name="builder"/>: the one definition of the pipeline.</summary>
    public static ResiliencePipelineBuilder Configure(ResiliencePipelineBuilder builder, LedgerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        return builder
            .AddTimeout(options.OperationTimeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<LedgerConflictException>(),
                MaxRetryAttempts = Math.Max(1, options.MaxAppendAttempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(4),
                MaxDelay = TimeSpan.FromMilliseconds(200),
                OnRetry = args =>
                {
                    Log.AppendRaceLost(logger, args.AttemptNumber + 1);
                    return default;
                },
            });
    }

    /// <summary>The same pipeline without DI (no telemetry beyond the ledger's own log).</summary>
    public static ResiliencePipeline Build(LedgerOptions options, TimeProvider time, ILogger logger) =>
        Configure(new ResiliencePipelineBuilder { TimeProvider = time }, options, logger).Build();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Lost the append race; attempt {Attempt}")]
        public static partial void AppendRaceLost(ILogger logger, int attempt);
    }
}

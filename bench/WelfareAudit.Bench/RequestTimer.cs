using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace WelfareAudit.Bench;

/// <summary>
/// Times each storage request inside the SDK's pipeline (from the policy to the response, retries included), so
/// that an operation's time can be split into the storage request and everything around it. The scenarios run
/// one request at a time, so the last one is the one just made.
/// </summary>
internal sealed class RequestTimer : HttpPipelinePolicy
{
    private long _lastTicks;

    public double LastMs => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _lastTicks)).TotalMilliseconds;

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var start = Stopwatch.GetTimestamp();
        await ProcessNextAsync(message, pipeline);
        Interlocked.Exchange(ref _lastTicks, Stopwatch.GetTimestamp() - start);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var start = Stopwatch.GetTimestamp();
        ProcessNext(message, pipeline);
        Interlocked.Exchange(ref _lastTicks, Stopwatch.GetTimestamp() - start);
    }
}

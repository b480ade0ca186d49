using Azure.Core;
using Azure.Core.Pipeline;

namespace WelfareAudit.Infrastructure.Tests.Support;

/// <summary>Counts the entity-group transactions (<c>$batch</c> requests) a table client sends.</summary>
public sealed class BatchCounter : HttpPipelineSynchronousPolicy
{
    private int _batches;

    public int Batches => Volatile.Read(ref _batches);

    public override void OnSendingRequest(HttpMessage message)
    {
        if (message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _batches);
        }
    }
}

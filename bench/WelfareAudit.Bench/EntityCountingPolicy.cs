using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace WelfareAudit.Bench;

/// <summary>
/// Counts the entities storage sends back (every entity of a query page or a point read carries one
/// <c>odata.etag</c>), for the partition and account targets, which are stated in entities per second. It reads the
/// buffered response body, so it sits per call (outside the SDK's buffering) next to <see cref="CountingPolicy"/>.
/// </summary>
internal sealed class EntityCountingPolicy : HttpPipelineSynchronousPolicy
{
    private static readonly byte[] Marker = Encoding.UTF8.GetBytes("\"odata.etag\"");
    private long _read;

    public long Read => Interlocked.Read(ref _read);

    public void Reset() => Interlocked.Exchange(ref _read, 0);

    public override void OnReceivedResponse(HttpMessage message)
    {
        if (message.Request.Method != RequestMethod.Get || message.Response.Status != 200 || message.Response.ContentStream is not MemoryStream)
        {
            return;
        }
        var body = message.Response.Content.ToMemory().Span;
        Interlocked.Add(ref _read, body.Count(Marker));
    }
}

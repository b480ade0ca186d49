using Microsoft.AspNetCore.Http;

namespace WelfareAudit.Http;

/// <summary>
/// Writes a download whose status line is already sent (exports, client accounting bundles). A client that goes away
/// is only noted; any other failure cuts the connection, so the client sees an incomplete download, not a short file.
/// </summary>
internal static class StreamedBody
{
    public static async Task WriteOrAbortAsync(HttpContext httpContext, Func<Stream, CancellationToken, Task> write, Action aborted, Action<Exception> failed)
    {
        try
        {
            await write(httpContext.Response.Body, httpContext.RequestAborted);
        }
        catch (OperationCanceledException) when (httpContext.RequestAborted.IsCancellationRequested)
        {
            aborted();
        }
        catch (Exception e)
        {
            failed(e);
            httpContext.Abort();
        }
    }
}

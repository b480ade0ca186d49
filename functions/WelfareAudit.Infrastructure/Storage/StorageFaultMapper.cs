using Azure;
using Polly.Timeout;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// Which failures of Table storage and of the key store mean "unavailable now" (answered 503 with
/// Retry-After), and the <see cref="LedgerUnavailableException"/> each becomes. Everything else (a
/// conflict, a finding about the data, a bug) passes through unchanged.
/// </summary>
internal static class StorageFaultMapper
{
    public static async Task<T> Guard<T>(Func<ValueTask<T>> operation, CancellationToken callerToken = default)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (!callerToken.IsCancellationRequested && IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    public static bool IsUnavailable(Exception e) => e switch
    {
        LedgerUnavailableException => false,
        TimeoutRejectedException => true,
        // The SDK's network timeout, or our operation deadline cancelling an SDK call (the caller's own
        // cancellation is excluded by Guard).
        OperationCanceledException => true,
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        HttpRequestException => true,
        System.Net.Sockets.SocketException => true,
        IOException => true,
        AggregateException a => a.InnerExceptions.All(IsUnavailable),
        // The key ring answered "no such key": a finding about the stored data (ModifiedRow), not an outage.
        UnknownKeyIdException => false,
        KeyUnavailableException => true,
        _ => false,
    };

    public static LedgerUnavailableException Unavailable(Exception e) => e is KeyUnavailableException
        ? new LedgerUnavailableException("The key store is unavailable.", e)
        : new LedgerUnavailableException("Table storage is unavailable.", e);
}

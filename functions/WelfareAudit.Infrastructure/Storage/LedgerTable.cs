using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using static WelfareAudit.Infrastructure.Storage.StorageFaultMapper;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// The ledger table as the appender, the lease store and the readers share it: created on first use,
/// point reads, and paged queries that follow every continuation, with storage faults mapped.
/// </summary>
internal sealed class LedgerTable(TableClient table)
{
    private readonly Lock _tableLock = new();
    private Task? _tableReady;

    public TableClient Client => table;

    public async IAsyncEnumerable<TableEntity> QueryAsync(string filter, IEnumerable<string>? select, [EnumeratorCancellation] CancellationToken ct, int pageSize = 1000)
    {
        string? continuation = null;
        do
        {
            Page<TableEntity> page;
            try
            {
                var pages = table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, select, ct).AsPages(continuation, pageSize);
                await using var enumerator = pages.GetAsyncEnumerator(ct);
                if (!await enumerator.MoveNextAsync())
                {
                    yield break;
                }
                page = enumerator.Current;
            }
            catch (Exception e) when (!ct.IsCancellationRequested && IsUnavailable(e))
            {
                throw Unavailable(e);
            }
            foreach (var row in page.Values)
            {
                yield return row;
            }
            continuation = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(continuation));
    }

    public async Task<TableEntity?> GetEntityOrNullAsync(string partitionKey, string rowKey, CancellationToken ct)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: ct);
        return response.HasValue ? response.Value : null;
    }

    public Task EnsureTableAsync(CancellationToken ct)
    {
        Task ready;
        lock (_tableLock)
        {
            // A failed creation is not remembered: the next call tries again.
            if (_tableReady is null || _tableReady.IsFaulted || _tableReady.IsCanceled)
            {
                _tableReady = table.CreateIfNotExistsAsync(CancellationToken.None);
            }
            ready = _tableReady;
        }
        return ready.IsCompletedSuccessfully ? Task.CompletedTask : AwaitTableAsync(ready, ct);
    }

    private static async Task AwaitTableAsync(Task ready, CancellationToken ct)
    {
        try
        {
            await ready.WaitAsync(ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }
}

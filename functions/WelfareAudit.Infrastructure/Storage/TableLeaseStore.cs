using Azure;
using Azure.Data.Tables;
using Polly;
using WelfareAudit.Core.Ledger;
using static WelfareAudit.Infrastructure.Storage.StorageFaultMapper;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// Named, time-limited leases on a ledger (a <c>lease-{name}</c> row in its partition, taken and given
/// back under its ETag), so that of two jobs racing over one ledger only one proceeds; and the same in the
/// job-claims partition (<see cref="RowKeys.JobsPartition"/>) for jobs that are not about one ledger.
/// </summary>
internal sealed class TableLeaseStore(LedgerTable rows, ResiliencePipeline pipeline, TimeProvider time)
{
    public Task<bool> TryAcquireLeaseAsync(string ledgerId, string name, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        TryAcquireAsync(RowKeys.CheckLedgerId(ledgerId), name, holder, duration, cancellationToken);

    public Task ReleaseLeaseAsync(string ledgerId, string name, string holder, CancellationToken cancellationToken) =>
        ReleaseAsync(RowKeys.CheckLedgerId(ledgerId), name, holder, cancellationToken);

    /// <summary>A lease in <paramref name="partition"/>: a ledger's, or <see cref="RowKeys.JobsPartition"/>.</summary>
    public async Task<bool> TryAcquireAsync(string partition, string name, string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        await rows.EnsureTableAsync(cancellationToken);
        return await Guard(() => pipeline.ExecuteAsync(async ct =>
        {
            var now = time.GetUtcNow();
            var lease = new TableEntity(partition, RowKeys.Lease(name)) { ["Holder"] = holder, ["Until"] = Timestamps.ToText(now + duration) };
            var current = await rows.GetEntityOrNullAsync(partition, RowKeys.Lease(name), ct);
            try
            {
                if (current is null)
                {
                    await rows.Client.AddEntityAsync(lease, ct);
                    return true;
                }
                var expired = !Timestamps.TryParse(current.GetString("Until"), out var until) || until <= now;
                if (!expired && current.GetString("Holder") != holder)
                {
                    return false;
                }
                await rows.Client.UpdateEntityAsync(lease, current.ETag, TableUpdateMode.Replace, ct);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                return false;
            }
        }, cancellationToken), cancellationToken);
    }

    public async Task ReleaseAsync(string partition, string name, string holder, CancellationToken cancellationToken)
    {
        await Guard(() => pipeline.ExecuteAsync(async ct =>
        {
            var current = await rows.GetEntityOrNullAsync(partition, RowKeys.Lease(name), ct);
            if (current is not null && current.GetString("Holder") == holder)
            {
                try
                {
                    await rows.Client.DeleteEntityAsync(partition, RowKeys.Lease(name), current.ETag, ct);
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    // Taken over or gone: nothing to give back.
                }
            }
            return true;
        }, cancellationToken), cancellationToken);
    }
}

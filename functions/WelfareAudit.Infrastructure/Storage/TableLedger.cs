using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Polly;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Schedules;
using WelfareAudit.Core.Searches;
using WelfareAudit.Infrastructure.Crypto;
using static WelfareAudit.Infrastructure.Storage.StorageFaultMapper;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// The ledger on Azure Table storage: one partition per ledger; event rows keyed by zero-padded
/// sequence; a head row updated with its ETag; one projection row per search. It composes the parts:
/// appends (<see cref="TableLedgerAppender"/>: each event in an entity-group transaction with the head, so the chain
/// cannot fork), leases (<see cref="TableLeaseStore"/>), fault mapping (<see cref="StorageFaultMapper"/>);
/// the reads and verification are here.
/// </summary>
public sealed partial class TableLedger : ILedger, IJobClaims
{
    private readonly LedgerTable _rows;
    private readonly EventSealer _sealer;
    private readonly ILogger<TableLedger> _logger;
    private readonly ResiliencePipeline _readPipeline;
    private readonly TableLedgerAppender _appender;
    private readonly TableLeaseStore _leases;
    private readonly TableSearchListing _listing;

    /// <summary>A ledger built without DI (tests, tools): its append pipeline is <see cref="LedgerAppendPipeline.Build"/>.</summary>
    public TableLedger(TableClient table, IKeyRing keys, TimeProvider time, LedgerOptions options, ILogger<TableLedger> logger)
        : this(table, keys, time, options, LedgerAppendPipeline.Build(options, time, logger), logger)
    {
    }

    /// <summary>A ledger whose append pipeline is the one registered under <see cref="LedgerAppendPipeline.Key"/>.</summary>
    public TableLedger(TableClient table, IKeyRing keys, TimeProvider time, LedgerOptions options, ResiliencePipeline appendPipeline, ILogger<TableLedger> logger)
    {
        _rows = new LedgerTable(table);
        _sealer = new EventSealer(keys);
        _logger = logger;
        _readPipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(options.OperationTimeout)
            .Build();
        _appender = new TableLedgerAppender(_rows, _sealer, keys, time, appendPipeline, logger);
        _leases = new TableLeaseStore(_rows, _readPipeline, time);
        _listing = new TableSearchListing(_rows, _sealer, this);
    }

    public TableClient Table => _rows.Client;

    public Task<AppendResult?> AppendAsync(string ledgerId, string actor, Guid? searchId, Func<SearchProjection?, LedgerEvent?> decide, CancellationToken cancellationToken) =>
        AppendAsync(ledgerId, actor, searchId, decide, null, cancellationToken);

    public Task<AppendResult?> AppendAsync(string ledgerId, string actor, Guid? searchId, Func<SearchProjection?, LedgerEvent?> decide, IdempotencyClaim? idempotency, CancellationToken cancellationToken) =>
        _appender.AppendAsync(ledgerId, actor, searchId, decide, idempotency, newSearch: false, cancellationToken);

    public async Task<AppendResult> AppendNewSearchAsync(string ledgerId, string actor, SearchLogged logged, IdempotencyClaim? idempotency, CancellationToken cancellationToken) =>
        (await _appender.AppendAsync(ledgerId, actor, logged.Id,
            existing => existing is null ? logged : throw new InvalidOperationException("A search with this id exists."),
            idempotency, newSearch: true, cancellationToken))!;

    public async Task<LedgerHead?> GetHeadAsync(string ledgerId, CancellationToken cancellationToken)
    {
        RowKeys.CheckLedgerId(ledgerId);
        await _rows.EnsureTableAsync(cancellationToken);
        var head = await Guard(() => _readPipeline.ExecuteAsync(async ct => await _rows.GetEntityOrNullAsync(ledgerId, RowKeys.Head, ct), cancellationToken), cancellationToken);
        return head is null ? null : new LedgerHead(ledgerId, head.GetInt64("Seq") ?? 0, head.GetString("Hash"));
    }

    public async Task<SearchProjection?> GetSearchAsync(string ledgerId, Guid searchId, CancellationToken cancellationToken)
    {
        RowKeys.CheckLedgerId(ledgerId);
        await _rows.EnsureTableAsync(cancellationToken);
        var row = await Guard(() => _readPipeline.ExecuteAsync(async ct => await _rows.GetEntityOrNullAsync(ledgerId, RowKeys.Search(searchId), ct), cancellationToken), cancellationToken);
        return row is null ? null : ReadProjection(row);
    }

    public async Task<SearchProjection?> FindSearchAsync(Guid searchId, CancellationToken cancellationToken)
    {
        await _rows.EnsureTableAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {RowKeys.Search(searchId)}");
        await foreach (var row in _rows.QueryAsync(filter, null, cancellationToken))
        {
            return ReadProjection(row);
        }
        return null;
    }

    public IAsyncEnumerable<SearchProjection> ListSearchesAsync(string ledgerId, CancellationToken cancellationToken) =>
        QuerySearchesAsync(ledgerId, null, cancellationToken);

    /// <summary>Filtered by the table service (the row's <c>State</c>), so only the searches in that state travel.</summary>
    public IAsyncEnumerable<SearchProjection> ListSearchesAsync(string ledgerId, SearchState state, CancellationToken cancellationToken) =>
        QuerySearchesAsync(ledgerId, state, cancellationToken);

    private async IAsyncEnumerable<SearchProjection> QuerySearchesAsync(string ledgerId, SearchState? state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in QuerySearchRowsAsync(ledgerId, state, cancellationToken))
        {
            yield return ReadProjection(row);
        }
    }

    /// <summary>For the verifier: each search row's state, and a digest of the listing copies it holds (null when it holds none).</summary>
    internal async IAsyncEnumerable<(SearchProjection Projection, UInt128? Copies)> ListSearchRowsAsync(string ledgerId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in QuerySearchRowsAsync(ledgerId, null, cancellationToken))
        {
            yield return (ReadProjection(row), ListingColumns.Digest(row));
        }
    }

    private async IAsyncEnumerable<TableEntity> QuerySearchRowsAsync(string ledgerId, SearchState? state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RowKeys.CheckLedgerId(ledgerId);
        await _rows.EnsureTableAsync(cancellationToken);
        const string to = RowKeys.SearchPrefix + "~";
        var filter = state is { } wanted
            ? TableClient.CreateQueryFilter($"PartitionKey eq {ledgerId} and RowKey gt {RowKeys.SearchPrefix} and RowKey lt {to} and State eq {wanted.ToString()}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {ledgerId} and RowKey gt {RowKeys.SearchPrefix} and RowKey lt {to}");
        await foreach (var row in _rows.QueryAsync(filter, null, cancellationToken))
        {
            yield return row;
        }
    }

    public IAsyncEnumerable<SearchListing> ListSearchPageAsync(string ledgerId, Guid? after, SearchState? state, int pageHint, CancellationToken cancellationToken) =>
        _listing.ListAsync(ledgerId, after, state, pageHint, cancellationToken);

    private static SearchProjection ReadProjection(TableEntity row)
    {
        try
        {
            return ProjectionRow.FromEntity(row);
        }
        catch (Exception e) when (RowDamage.Is(e) || e is ArgumentNullException)
        {
            throw RowDamage.AtProjection(row, e);
        }
    }

    /// <summary>
    /// Every partition that holds any row (event, head, search, idempotency or lease row), so deleting one
    /// row (the head) cannot hide a ledger. A skip scan: one query of one row (keys only) per ledger,
    /// "the first row whose PartitionKey is greater than the last ledger found", so the cost grows with
    /// the number of ledgers, not with the number of rows. Partition keys that cannot be ledger ids (never
    /// written by the app) are skipped and counted in a log event.
    /// </summary>
    public IAsyncEnumerable<string> ListLedgersAsync(CancellationToken cancellationToken) => ListLedgersFromAsync("", cancellationToken);

    /// <inheritdoc/>
    public async IAsyncEnumerable<string> ListLedgersFromAsync(string from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _rows.EnsureTableAsync(cancellationToken);
        string? after = null;
        var skipped = 0;
        while (true)
        {
            string? next = null;
            var filter = after is null ? TableClient.CreateQueryFilter($"PartitionKey ge {from}") : TableClient.CreateQueryFilter($"PartitionKey gt {after}");
            await foreach (var row in _rows.QueryAsync(filter, ["PartitionKey", "RowKey"], cancellationToken, pageSize: 1))
            {
                next = row.PartitionKey;
                break;
            }
            if (next is null)
            {
                break;
            }
            if (LedgerIds.IsValid(next))
            {
                yield return next;
            }
            else if (next != RowKeys.JobsPartition)
            {
                skipped++;
            }
            after = next;
        }
        if (skipped > 0)
        {
            Log.ForeignPartitions(_logger, skipped);
        }
    }

    /// <summary>Whether the ledger's partition holds any row at all (keys only, one row).</summary>
    internal async Task<bool> HasRowsAsync(string ledgerId, CancellationToken cancellationToken)
    {
        await foreach (var _ in _rows.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {ledgerId}"), ["PartitionKey", "RowKey"], cancellationToken, pageSize: 1))
        {
            return true;
        }
        return false;
    }

    public async IAsyncEnumerable<RecordedEvent> ReadAsync(string ledgerId, long fromSequence, long? toSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in ReadSealedAsync(ledgerId, fromSequence, toSequence, cancellationToken))
        {
            yield return await OpenRowAsync(row, cancellationToken);
        }
    }

    /// <summary>
    /// Decrypts and decodes one event row. A row that cannot be read as the ledger wrote it (altered
    /// ciphertext, key id, commitment, type or shape) is a <see cref="LedgerIntegrityException"/> at that
    /// row, never a crash; a key store that cannot be reached is <see cref="LedgerUnavailableException"/>.
    /// </summary>
    private async Task<RecordedEvent> OpenRowAsync(TableEntity row, CancellationToken ct)
    {
        try
        {
            var sealedEvent = EventRow.FromEntity(row);
            var opened = await _sealer.OpenAsync(sealedEvent, ct);
            var sensitive = opened.ToDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal);
            return new RecordedEvent(sealedEvent.Header, LedgerEventCodec.Decode(sealedEvent.Header.Type, sealedEvent.Clear, sensitive), sealedEvent.Hash);
        }
        catch (Exception e) when (RowDamage.Is(e))
        {
            throw RowDamage.At(row, e);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    /// <summary>The raw event rows in row-key order, every page (a page may be empty yet have a continuation).</summary>
    public async IAsyncEnumerable<TableEntity> ReadSealedAsync(string ledgerId, long fromSequence, long? toSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RowKeys.CheckLedgerId(ledgerId);
        await _rows.EnsureTableAsync(cancellationToken);
        var from = RowKeys.Event(Math.Max(0, fromSequence));
        var filter = toSequence is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {ledgerId} and RowKey ge {from} and RowKey lt {RowKeys.EventsTo}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {ledgerId} and RowKey ge {from} and RowKey le {RowKeys.Event(toSequence.Value)}");
        await foreach (var row in _rows.QueryAsync(filter, null, cancellationToken))
        {
            yield return row;
        }
    }

    public Task<bool> TryAcquireLeaseAsync(string ledgerId, string name, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        _leases.TryAcquireLeaseAsync(ledgerId, name, holder, duration, cancellationToken);

    public Task ReleaseLeaseAsync(string ledgerId, string name, string holder, CancellationToken cancellationToken) =>
        _leases.ReleaseLeaseAsync(ledgerId, name, holder, cancellationToken);

    /// <summary>A job claim: a lease in the <see cref="RowKeys.JobsPartition"/> partition, outside every ledger.</summary>
    public Task<bool> TryClaimAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        _leases.TryAcquireAsync(RowKeys.JobsPartition, name, holder, duration, cancellationToken);

    public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        _leases.ReleaseAsync(RowKeys.JobsPartition, name, holder, cancellationToken);

    public Task<LedgerVerification> VerifyAsync(string ledgerId, CancellationToken cancellationToken) => VerifyAsync(ledgerId, null, cancellationToken);

    /// <inheritdoc/>
    public async Task<LedgerVerification> VerifyAsync(string ledgerId, Func<AuditEventRecord, CancellationToken, ValueTask>? verified, CancellationToken cancellationToken)
    {
        try
        {
            return await new LedgerVerifier(this, _sealer).VerifyAsync(ledgerId, verified, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsUnavailable(e))
        {
            // The key store down while opening envelopes: 503, never a finding about the data.
            throw Unavailable(e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Listing ledgers skipped {Count} partition(s) whose key cannot be a ledger id: rows the application did not write")]
        public static partial void ForeignPartitions(ILogger logger, int count);
    }
}

using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// What the export needs of one ledger, taken from its verifying pass (<see cref="ILedger.VerifyAsync(string, Func{AuditEventRecord, CancellationToken, ValueTask}?, CancellationToken)"/>):
/// where the part starts (genesis, or the latest checkpoint before the range that signs its own predecessor), how many
/// events and in-range events it has, which keys signed the checkpoints inside it; and, when the format spools, the
/// part's content.
/// </summary>
internal sealed class LedgerPartScan
{
    private readonly AuditExportRequest _request;
    private readonly IAuditEventSpool? _spool;
    private readonly HashSet<string> _keyIds = new(StringComparer.Ordinal);

    public LedgerPartScan(AuditExportRequest request, IAuditEventSpool? spool)
    {
        (_request, _spool) = (request, spool);
        _spool?.BeginLedger();
    }

    public long First { get; private set; } = 1;

    public long Events { get; private set; }

    public long InRange { get; private set; }

    public IReadOnlyList<string> KeyIds => [.. _keyIds.Order(StringComparer.Ordinal)];

    public async ValueTask AddAsync(AuditEventRecord e, CancellationToken cancellationToken)
    {
        if (AuditExportService.IsAnchor(e) && _request.From is { } from && e.Header.RecordedAt < from)
        {
            First = e.Header.Sequence;
            Events = 0;
            InRange = 0;
            _keyIds.Clear();
            _spool?.RestartLedger();
        }
        Events++;
        InRange += _request.InRange(e.Header.RecordedAt) ? 1 : 0;
        if (e.Header.Type == EventTypes.Checkpoint && e.Clear.TryGetValue("signingKeyId", out var keyId))
        {
            _keyIds.Add(keyId);
        }
        if (_spool is not null)
        {
            await _spool.AddAsync(e, cancellationToken);
        }
    }

    /// <summary>Ends the part's segment; when the ledger failed (<paramref name="keep"/> false) its content is dropped first.</summary>
    public SpoolSegment? End(bool keep)
    {
        if (_spool is null)
        {
            return null;
        }
        if (!keep)
        {
            _spool.RestartLedger();
        }
        return _spool.EndLedger();
    }
}

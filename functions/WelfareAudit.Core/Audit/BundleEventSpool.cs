using System.Buffers;
using System.Text.Json;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// The event lines of a bundle export (<see cref="AuditBundleWriter"/>), written during the verifying pass into an
/// <see cref="EncryptedSpool"/>; the writer sends them after the manifest and its signature. Each line is exactly what
/// the writer would have written reading the ledger again: the same code writes it.
/// </summary>
public sealed class BundleEventSpool(AuditExportRequest request, IClientIndexer indexer, EncryptedSpool spool) : IAuditEventSpool
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly ClientPseudonyms _pseudonyms = new(indexer);
    private Utf8JsonWriter? _json;

    public void BeginLedger() => spool.Begin();

    public void RestartLedger() => spool.Restart();

    public async ValueTask AddAsync(AuditEventRecord e, CancellationToken cancellationToken)
    {
        _json ??= new Utf8JsonWriter(_buffer, AuditBundleWriter.Options);
        var inRange = request.InRange(e.Header.RecordedAt);
        await AuditBundleWriter.WriteEventAsync(_json, e, inRange, inRange, request.WithholdClientRef, _pseudonyms, cancellationToken);
        spool.Write(AuditBundleWriter.EndLine(_json, _buffer).Span);
        AuditBundleWriter.NextLine(_json, _buffer);
    }

    public SpoolSegment EndLedger() => spool.End();

    public Task CopyToAsync(SpoolSegment segment, Stream output, CancellationToken cancellationToken) => spool.CopyToAsync(segment, output, cancellationToken);

    public void Dispose()
    {
        _json?.Dispose();
        _pseudonyms.Dispose();
        _buffer.Clear();
        spool.Dispose();
    }
}

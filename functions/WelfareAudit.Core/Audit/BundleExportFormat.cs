using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// The verifiable bundle (<see cref="AuditBundleWriter"/>), signed with the current signing key; it carries the
/// public key of every key that signed the manifest or a checkpoint in it.
/// </summary>
public sealed class BundleExportFormat(IAuditLedgerReader reader, IClientIndexer indexer, ISigningKeys keys) : IAuditExportFormat
{
    public string Name => AuditFormat.Bundle;

    public string ContentType => "application/x-ndjson; charset=utf-8";

    public string FileExtension => "bundle.jsonl";

    /// <summary>The event lines, written during the verifying pass into an encrypted temporary file.</summary>
    public IAuditEventSpool? CreateSpool(AuditExportRequest request) => new BundleEventSpool(request, indexer, EncryptedSpool.CreateTemporary());

    public async Task<IReadOnlyDictionary<string, long>> WriteAsync(AuditExport export, Stream output, CancellationToken cancellationToken)
    {
        using var manifestKey = await keys.GetCurrentAsync(cancellationToken);
        var keyIds = export.Ledgers.SelectMany(l => l.CheckpointKeyIds.Append(l.Checkpoint.Checkpoint.SigningKeyId))
            .Append(manifestKey.KeyId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var publicKeys = new List<PublicSigningKey>(keyIds.Count);
        foreach (var id in keyIds)
        {
            publicKeys.Add(id == manifestKey.KeyId ? new PublicSigningKey(id, manifestKey.PublicKeyPem) : await keys.GetPublicAsync(id, cancellationToken));
        }
        return await new AuditBundleWriter(reader, indexer).WriteAsync(export, manifestKey, publicKeys, output, cancellationToken);
    }
}

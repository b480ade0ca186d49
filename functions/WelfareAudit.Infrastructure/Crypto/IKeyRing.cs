namespace WelfareAudit.Infrastructure.Crypto;

/// <summary>
/// Where keys come from. A given key id never changes, so implementations cache every version they
/// have read forever, and refresh "which version is current" on an interval.
/// </summary>
public interface IKeyRing
{
    /// <summary>The key new data is protected with.</summary>
    ValueTask<KeyMaterial> GetCurrentAsync(KeyPurpose purpose, CancellationToken cancellationToken);

    /// <summary>A key by id, current or older: old data stays readable after rotation.</summary>
    ValueTask<KeyMaterial> GetAsync(KeyPurpose purpose, string keyId, CancellationToken cancellationToken);

    /// <summary>Creates a new current key for <paramref name="purpose"/>; older versions stay readable.</summary>
    Task<KeyMaterial> RotateAsync(KeyPurpose purpose, CancellationToken cancellationToken);
}

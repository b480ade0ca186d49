namespace WelfareAudit.Core.Audit;

/// <summary>Where the signing keys come from (Key Vault secrets in production, the local key file in development).</summary>
public interface ISigningKeys
{
    /// <summary>The key new checkpoints are signed with.</summary>
    Task<SigningKey> GetCurrentAsync(CancellationToken cancellationToken);

    /// <summary>The public half of a key by id, current or older (old checkpoints stay verifiable after rotation).</summary>
    Task<PublicSigningKey> GetPublicAsync(string keyId, CancellationToken cancellationToken);
}

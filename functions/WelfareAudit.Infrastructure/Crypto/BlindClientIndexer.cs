using WelfareAudit.Core.Searches;

namespace WelfareAudit.Infrastructure.Crypto;

/// <summary>The blind index of client codes, under the current index key (or, to find older entries, an earlier one).</summary>
public sealed class BlindClientIndexer(IKeyRing keys) : IClientIndexer
{
    public async Task<string> IndexAsync(string clientRef, CancellationToken cancellationToken) =>
        BlindIndex.Compute(await keys.GetCurrentAsync(KeyPurpose.Index, cancellationToken), clientRef);

    public async Task<string?> IndexUnderAsync(string clientRef, string keyId, CancellationToken cancellationToken)
    {
        try
        {
            return BlindIndex.Compute(await keys.GetAsync(KeyPurpose.Index, keyId, cancellationToken), clientRef);
        }
        catch (UnknownKeyIdException)
        {
            // An index naming a key the ring does not hold cannot be this client's (nor anyone's we can recompute).
            return null;
        }
    }
}

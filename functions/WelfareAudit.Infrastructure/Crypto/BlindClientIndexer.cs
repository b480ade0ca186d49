using WelfareAudit.Core.Searches;

namespace WelfareAudit.Infrastructure.Crypto;

/// <summary>The blind index of client codes, under the current index key.</summary>
public sealed class BlindClientIndexer(IKeyRing keys) : IClientIndexer
{
    public async Task<string> IndexAsync(string clientRef, CancellationToken cancellationToken) =>
        BlindIndex.Compute(await keys.GetCurrentAsync(KeyPurpose.Index, cancellationToken), clientRef);
}

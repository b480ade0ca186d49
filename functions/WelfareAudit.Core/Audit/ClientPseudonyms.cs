using System.Security.Cryptography;
using System.Text;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// Per-export pseudonyms of client codes: <c>C-</c> and 10 hex digits of an HMAC, under a key that exists
/// only for this export, of the client's blind index. The same client gets the same pseudonym within one
/// export and an unrelated one in the next; the key is never written anywhere.
/// </summary>
public sealed class ClientPseudonyms(IClientIndexer indexer) : IDisposable
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public async Task<string> OfAsync(string clientRef, CancellationToken cancellationToken)
    {
        var index = await indexer.IndexAsync(clientRef, cancellationToken);
        return "C-" + Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(index)))[..10];
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}

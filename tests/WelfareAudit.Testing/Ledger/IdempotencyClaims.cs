using System.Security.Cryptography;
using System.Text;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Testing;

/// <summary>Idempotency claims as the API makes them: SHA-256 of the key and of the request body, lower-case hex.</summary>
public static class IdempotencyClaims
{
    public static IdempotencyClaim For(string key, string body) => new(Sha256(key), Sha256(body));

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;

namespace WelfareAudit.Bench;

/// <summary>
/// A vault of versioned secrets in memory that counts reads per (name, version), version null being
/// "latest". Trimmed from tests/WelfareAudit.Infrastructure.Tests/Support/InMemorySecretClient.cs.
/// </summary>
internal sealed class CountingSecretClient : SecretClient
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<KeyVaultSecret>> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, string? Version), int> _reads = new();

    public int TotalReads => _reads.Values.Sum();

    public IReadOnlyDictionary<string, int> Reads() =>
        new SortedDictionary<string, int>(_reads.ToDictionary(p => $"{p.Key.Name}/{p.Key.Version ?? "latest"}", p => p.Value), StringComparer.Ordinal);

    public void ResetCounts() => _reads.Clear();

    public string AddVersion(string name)
    {
        var version = Guid.NewGuid().ToString("N");
        var properties = SecretModelFactory.SecretProperties(
            id: new Uri($"https://bench-vault.vault.azure.net/secrets/{name}/{version}"),
            vaultUri: new Uri("https://bench-vault.vault.azure.net/"),
            name: name,
            version: version);
        lock (_gate)
        {
            if (!_secrets.TryGetValue(name, out var list))
            {
                _secrets[name] = list = [];
            }
            list.Add(SecretModelFactory.KeyVaultSecret(properties, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        }
        return version;
    }

    public override Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version = null, CancellationToken cancellationToken = default)
    {
        _reads.AddOrUpdate((name, version), 1, (_, n) => n + 1);
        KeyVaultSecret? secret;
        lock (_gate)
        {
            secret = _secrets.TryGetValue(name, out var list) && list.Count > 0
                ? version is null ? list[^1] : list.Find(s => s.Properties.Version == version)
                : null;
        }
        return secret is null
            ? throw new RequestFailedException(404, $"Secret not found: {name}/{version}")
            : Task.FromResult(Response.FromValue(secret, new StubResponse(200)));
    }

    public override Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version, SecretContentType? outContentType, CancellationToken cancellationToken = default) =>
        GetSecretAsync(name, version, cancellationToken);

    public override Task<Response<KeyVaultSecret>> SetSecretAsync(KeyVaultSecret secret, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The benchmark does not rotate keys.");

    private sealed class StubResponse(int status) : Response
    {
        public override int Status => status;

        public override string ReasonPhrase => "OK";

        public override Stream? ContentStream { get; set; }

        public override string ClientRequestId { get; set; } = Guid.NewGuid().ToString();

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}

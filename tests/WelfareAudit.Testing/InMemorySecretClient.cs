using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;

namespace WelfareAudit.Testing;

/// <summary>
/// A vault of versioned secrets in memory that counts reads per (name, version), version null being
/// "latest". It can fail every call with a status, or hold reads until released.
/// </summary>
public sealed class InMemorySecretClient : SecretClient
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<KeyVaultSecret>> secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, string? Version), int> reads = new();
    private volatile TaskCompletionSource? hold;

    public int? FailWith { get; set; }

    public int TotalReads => reads.Values.Sum();

    public int Reads(string name, string? version) => reads.GetValueOrDefault((name, version));

    /// <summary>Forgets the counts so far (a benchmark's warm-up).</summary>
    public void ResetCounts() => reads.Clear();

    /// <summary>Reads per "name/version" ("latest" for the current version), in name order.</summary>
    public IReadOnlyDictionary<string, int> ReadsBySecret() =>
        new SortedDictionary<string, int>(reads.ToDictionary(p => $"{p.Key.Name}/{p.Key.Version ?? "latest"}", p => p.Value), StringComparer.Ordinal);

    public (string Version, byte[] Bytes) AddVersion(string name)
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        return (AddRawVersion(name, Convert.ToBase64String(bytes)), bytes);
    }

    public string AddRawVersion(string name, string value, string? contentType = null)
    {
        var version = Guid.NewGuid().ToString("N");
        var properties = SecretModelFactory.SecretProperties(
            id: new Uri($"https://test-vault.vault.azure.net/secrets/{name}/{version}"),
            vaultUri: new Uri("https://test-vault.vault.azure.net/"),
            name: name,
            version: version);
        properties.ContentType = contentType;
        lock (gate)
        {
            if (!secrets.TryGetValue(name, out var list))
            {
                secrets[name] = list = [];
            }
            list.Add(SecretModelFactory.KeyVaultSecret(properties, value));
        }
        return version;
    }

    public string? ContentTypeOf(string name, string version) => Find(name, version)?.Properties.ContentType;

    public string? ValueOf(string name, string version) => Find(name, version)?.Value;

    /// <summary>The names of the secrets held.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (gate)
            {
                return [.. secrets.Keys];
            }
        }
    }

    /// <summary>How many versions a secret has.</summary>
    public int Versions(string name)
    {
        lock (gate)
        {
            return secrets.TryGetValue(name, out var list) ? list.Count : 0;
        }
    }

    /// <summary>The value of a secret's latest version.</summary>
    public string? Latest(string name) => Find(name, null)?.Value;

    /// <summary>Holds every read until the returned action is called.</summary>
    public Action HoldReads()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hold = held;
        return () =>
        {
            hold = null;
            held.SetResult();
        };
    }

    public override async Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version = null, CancellationToken cancellationToken = default)
    {
        reads.AddOrUpdate((name, version), 1, (_, n) => n + 1);
        if (hold is { } held)
        {
            await held.Task;
        }
        ThrowIfFailing();
        var secret = Find(name, version) ?? throw new RequestFailedException(404, $"Secret not found: {name}/{version}");
        return Response.FromValue(secret, new StubResponse(200));
    }

    public override Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version, SecretContentType? outContentType, CancellationToken cancellationToken = default) =>
        GetSecretAsync(name, version, cancellationToken);

    public override Task<Response<KeyVaultSecret>> SetSecretAsync(KeyVaultSecret secret, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        var version = AddRawVersion(secret.Name, secret.Value, secret.Properties.ContentType);
        return Task.FromResult(Response.FromValue(Find(secret.Name, version)!, new StubResponse(200)));
    }

    public override Task<Response<KeyVaultSecret>> SetSecretAsync(string name, string value, CancellationToken cancellationToken = default) =>
        SetSecretAsync(new KeyVaultSecret(name, value), cancellationToken);

    private void ThrowIfFailing()
    {
        if (FailWith is { } status)
        {
            throw new RequestFailedException(status, $"Injected failure {status}");
        }
    }

    private KeyVaultSecret? Find(string name, string? version)
    {
        lock (gate)
        {
            if (!secrets.TryGetValue(name, out var list) || list.Count == 0)
            {
                return null;
            }
            return version is null ? list[^1] : list.Find(s => s.Properties.Version == version);
        }
    }
}

public sealed class StubResponse(int status) : Response
{
    public override int Status => status;

    public override string ReasonPhrase => status == 200 ? "OK" : "Error";

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

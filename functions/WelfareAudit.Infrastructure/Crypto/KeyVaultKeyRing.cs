using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace WelfareAudit.Infrastructure.Crypto;

/// <summary>
/// Keys held as Key Vault secrets (Key Vault Keys is not available to us): one secret per purpose whose
/// value is base64 of 32 random bytes; the key id is the secret version. A version never changes, so each
/// is read once and cached for the life of the process; the current version is re-read every
/// <see cref="KeyVaultKeyRingOptions.CurrentKeyRefreshInterval"/>, which keeps us far below the vault's
/// 4,000 reads per 10 s however many fields are opened.
/// </summary>
/// <remarks>
/// There is no retry here: the SDK already retries 408/429/5xx with back-off, and a second layer would
/// multiply the load on a throttled vault. When the SDK gives up, the caller gets a
/// <see cref="KeyUnavailableException"/> and the next call asks the vault again (failures are not cached).
/// </remarks>
public sealed class KeyVaultKeyRing : IKeyRing
{
    public const string SecretContentType = "application/octet-stream; base64";

    private const int MaxKeyIdLength = 64;

    private readonly SecretClient client;
    private readonly KeyVaultKeyRingOptions options;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<(KeyPurpose Purpose, string Version), Lazy<Task<KeyMaterial>>> versions = new();
    private readonly ConcurrentDictionary<KeyPurpose, CurrentSlot> current = new();

    public KeyVaultKeyRing(SecretClient client, KeyVaultKeyRingOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var prefix = options.SecretNamePrefix;
        if (string.IsNullOrEmpty(prefix) || prefix.Length > 100 || !prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException("SecretNamePrefix must be 1 to 100 ASCII letters, digits or dashes (Key Vault secret name rules).", nameof(options));
        }
        if (options.CurrentKeyRefreshInterval < TimeSpan.Zero)
        {
            throw new ArgumentException("CurrentKeyRefreshInterval cannot be negative.", nameof(options));
        }
        this.client = client;
        this.options = options;
        this.time = time;
    }

    public string SecretName(KeyPurpose purpose) => $"{options.SecretNamePrefix}-{PurposeName(purpose)}-key";

    public async ValueTask<KeyMaterial> GetCurrentAsync(KeyPurpose purpose, CancellationToken cancellationToken)
    {
        var slot = current.GetOrAdd(purpose, _ => new CurrentSlot());
        TaskCompletionSource<KeyMaterial>? owned = null;
        Task<KeyMaterial> pending;
        long generation;
        lock (slot.Gate)
        {
            if (slot.Value is { } cached && time.GetElapsedTime(slot.FetchedAt) < options.CurrentKeyRefreshInterval)
            {
                return cached;
            }
            if (slot.InFlight is null)
            {
                owned = new TaskCompletionSource<KeyMaterial>(TaskCreationOptions.RunContinuationsAsynchronously);
                slot.InFlight = owned.Task;
            }
            pending = slot.InFlight;
            generation = slot.Generation;
        }
        if (owned is not null)
        {
            // Shared by every caller waiting on this refresh, so it must not die with the first caller's token.
            _ = RefreshCurrentAsync(purpose, slot, owned, generation);
        }
        return await pending.WaitAsync(cancellationToken);
    }

    public async ValueTask<KeyMaterial> GetAsync(KeyPurpose purpose, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        if (keyId.Length is 0 or > MaxKeyIdLength || !keyId.All(char.IsAsciiLetterOrDigit))
        {
            // Ids come from stored envelopes; one that cannot be a secret version is refused before any vault call.
            throw new UnknownKeyIdException($"'{Printable(keyId)}' is not a Key Vault secret version, so it is no {PurposeName(purpose)} key id.");
        }
        var cacheKey = (purpose, keyId);
        var entry = versions.GetOrAdd(cacheKey, k => new Lazy<Task<KeyMaterial>>(() => ReadVersionAsync(k.Purpose, k.Version)));
        var read = entry.Value;
        try
        {
            return await read.WaitAsync(cancellationToken);
        }
        catch when (read.IsFaulted || read.IsCanceled)
        {
            // Only this failed entry is dropped: a concurrent successful re-read must not be thrown away.
            versions.TryRemove(KeyValuePair.Create(cacheKey, entry));
            throw;
        }
    }

    public async Task<KeyMaterial> RotateAsync(KeyPurpose purpose, CancellationToken cancellationToken)
    {
        var name = SecretName(purpose);
        var bytes = RandomNumberGenerator.GetBytes(FieldEnvelope.KeySize);
        var secret = new KeyVaultSecret(name, Convert.ToBase64String(bytes));
        secret.Properties.ContentType = SecretContentType;
        KeyVaultSecret stored;
        try
        {
            stored = (await client.SetSecretAsync(secret, cancellationToken)).Value;
        }
        catch (Exception e) when (Failure(e, cancellationToken) is { } failure)
        {
            throw failure($"a new version of the secret '{name}'");
        }
        var material = new KeyMaterial(CheckVersion(name, stored.Properties.Version), bytes);
        versions[(purpose, material.KeyId)] = new Lazy<Task<KeyMaterial>>(Task.FromResult(material));
        var slot = current.GetOrAdd(purpose, _ => new CurrentSlot());
        lock (slot.Gate)
        {
            slot.Value = material;
            slot.FetchedAt = time.GetTimestamp();
            slot.Generation++;
        }
        return material;
    }

    private async Task RefreshCurrentAsync(KeyPurpose purpose, CurrentSlot slot, TaskCompletionSource<KeyMaterial> owned, long generation)
    {
        try
        {
            var material = await ReadCurrentAsync(purpose);
            versions.TryAdd((purpose, material.KeyId), new Lazy<Task<KeyMaterial>>(Task.FromResult(material)));
            lock (slot.Gate)
            {
                // A rotation that finished while this read was in flight is newer than what was read.
                if (slot.Generation == generation)
                {
                    slot.Value = material;
                    slot.FetchedAt = time.GetTimestamp();
                }
                slot.InFlight = null;
            }
            owned.SetResult(material);
        }
        catch (Exception e)
        {
            lock (slot.Gate)
            {
                slot.InFlight = null;
            }
            owned.SetException(e);
        }
    }

    private async Task<KeyMaterial> ReadCurrentAsync(KeyPurpose purpose)
    {
        var name = SecretName(purpose);
        KeyVaultSecret secret;
        try
        {
            secret = (await client.GetSecretAsync(name, version: null, CancellationToken.None)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new KeyUnavailableException(
                $"No {PurposeName(purpose)} key in the vault (secret '{name}' not found); run `welfare-audit keys init`.", e);
        }
        catch (Exception e) when (Failure(e, CancellationToken.None) is { } failure)
        {
            throw failure($"the current {PurposeName(purpose)} key (secret '{name}')");
        }
        var version = CheckVersion(name, secret.Properties.Version);
        return new KeyMaterial(version, ParseValue(name, version, secret.Value));
    }

    private async Task<KeyMaterial> ReadVersionAsync(KeyPurpose purpose, string version)
    {
        var name = SecretName(purpose);
        KeyVaultSecret secret;
        try
        {
            secret = (await client.GetSecretAsync(name, version, CancellationToken.None)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new UnknownKeyIdException($"No {PurposeName(purpose)} key with id '{version}' in the vault (secret '{name}').", e);
        }
        catch (Exception e) when (Failure(e, CancellationToken.None) is { } failure)
        {
            throw failure($"the {PurposeName(purpose)} key '{version}' (secret '{name}')");
        }
        return new KeyMaterial(version, ParseValue(name, version, secret.Value));
    }

    /// <summary>How a failed vault call is reported, or null for failures that are not the vault's (our own cancellation, bugs).</summary>
    private static Func<string, KeyUnavailableException>? Failure(Exception e, CancellationToken cancellationToken) => e switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } r =>
            what => new KeyUnavailableException($"Key Vault unavailable while reading {what} (HTTP {r.Status}, after the SDK's retries).", r),
        RequestFailedException { Status: 401 or 403 } r =>
            what => new KeyUnavailableException($"Key Vault refused access to {what} (HTTP {r.Status}): grant the app's identity get and set on secrets.", r),
        RequestFailedException r =>
            what => new KeyUnavailableException($"Key Vault rejected the request for {what} (HTTP {r.Status}).", r),
        AuthenticationFailedException a =>
            what => new KeyUnavailableException($"Key Vault unavailable: could not authenticate to read {what}.", a),
        OperationCanceledException o when !cancellationToken.IsCancellationRequested =>
            what => new KeyUnavailableException($"Key Vault unavailable: the request for {what} timed out.", o),
        _ => null,
    };

    private static string CheckVersion(string name, string? version) =>
        version is { Length: > 0 and <= MaxKeyIdLength } && version.All(char.IsAsciiLetterOrDigit)
            ? version
            : throw new KeyUnavailableException($"Key Vault returned the secret '{name}' without a usable version.");

    private static byte[] ParseValue(string name, string version, string? value)
    {
        var buffer = new byte[FieldEnvelope.KeySize + 3];
        if (value is null || !Convert.TryFromBase64String(value, buffer, out var written) || written != FieldEnvelope.KeySize)
        {
            throw new KeyUnavailableException(
                $"The secret '{name}' version '{version}' is not a key: its value must be base64 of {FieldEnvelope.KeySize} bytes.");
        }
        return buffer[..written];
    }

    private static string PurposeName(KeyPurpose purpose) => purpose switch
    {
        KeyPurpose.Data => "data",
        KeyPurpose.Index => "index",
        KeyPurpose.Signing => "signing",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Unknown key purpose."),
    };

    private static string Printable(string text) =>
        new([.. text.Take(MaxKeyIdLength).Select(c => c is >= ' ' and < (char)127 ? c : '?')]);

    private sealed class CurrentSlot
    {
        public Lock Gate { get; } = new();

        public KeyMaterial? Value { get; set; }

        public long FetchedAt { get; set; }

        public Task<KeyMaterial>? InFlight { get; set; }

        public long Generation { get; set; }
    }
}

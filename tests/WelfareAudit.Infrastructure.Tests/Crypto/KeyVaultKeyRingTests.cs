using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Time.Testing;
using WelfareAudit.Infrastructure.Crypto;

using WelfareAudit.Infrastructure.Tests.Support;
using WelfareAudit.Testing;

namespace WelfareAudit.Infrastructure.Tests.Crypto;

public sealed class KeyVaultKeyRingTests
{
    private const string DataSecret = "welfareaudit-data-key";
    private const string IndexSecret = "welfareaudit-index-key";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 3, 9, 30, 0, TimeSpan.Zero));
    private readonly InMemorySecretClient vault = new();

    [Fact]
    public async Task GetAsync_ThousandCallsForOneVersion_ReadsSecretOnce()
    {
        // Arrange
        var (version, bytes) = vault.AddVersion(DataSecret);
        var ring = NewRing();

        // Act
        for (var i = 0; i < 1_000; i++)
        {
            var key = await ring.GetAsync(KeyPurpose.Data, version, CancellationToken.None);
            Assert.Equal(bytes, key.Bytes);
        }

        // Assert
        Assert.Equal(1, vault.Reads(DataSecret, version));
    }

    [Fact]
    public async Task GetAsync_ThirtyTwoConcurrentFirstReads_ReadsSecretOnce()
    {
        // Arrange: the vault holds every read until all 32 callers are waiting on one.
        var (version, bytes) = vault.AddVersion(DataSecret);
        var ring = NewRing();
        var release = vault.HoldReads();
        var entered = 0;
        var allEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Act
        var calls = Enumerable.Range(0, 32).Select(_ => Task.Run(() =>
        {
            var call = ring.GetAsync(KeyPurpose.Data, version, CancellationToken.None).AsTask();
            if (Interlocked.Increment(ref entered) == 32)
            {
                allEntered.SetResult();
            }
            return call;
        })).ToList();
        await allEntered.Task;
        release();
        var keys = await Task.WhenAll(calls);

        // Assert
        Assert.Equal(1, vault.Reads(DataSecret, version));
        Assert.All(keys, k => Assert.Equal(bytes, k.Bytes));
    }

    [Fact]
    public async Task GetAsync_TwoVersions_EachReadOnce()
    {
        // Arrange
        var (first, _) = vault.AddVersion(DataSecret);
        var (second, secondBytes) = vault.AddVersion(DataSecret);
        var ring = NewRing();
        await ring.GetAsync(KeyPurpose.Data, first, CancellationToken.None);

        // Act
        var key = await ring.GetAsync(KeyPurpose.Data, second, CancellationToken.None);

        // Assert
        Assert.Equal(secondBytes, key.Bytes);
        Assert.Equal(1, vault.Reads(DataSecret, first));
        Assert.Equal(1, vault.Reads(DataSecret, second));
    }

    [Fact]
    public async Task GetCurrentAsync_WithinRefreshInterval_ReadsLatestOnce()
    {
        // Arrange
        var (version, bytes) = vault.AddVersion(DataSecret);
        var ring = NewRing();

        // Act
        var first = await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var second = await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);

        // Assert
        Assert.Equal(version, first.KeyId);
        Assert.Equal(bytes, first.Bytes);
        Assert.Equal(version, second.KeyId);
        Assert.Equal(1, vault.Reads(DataSecret, null));
    }

    [Fact]
    public async Task GetCurrentAsync_AfterRefreshInterval_ReadsLatestAgainAndSeesNewVersion()
    {
        // Arrange
        var (oldVersion, _) = vault.AddVersion(DataSecret);
        var ring = NewRing();
        await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);
        var (newVersion, newBytes) = vault.AddVersion(DataSecret);

        // Act
        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var beforeExpiry = await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2));
        var afterExpiry = await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);

        // Assert
        Assert.Equal(oldVersion, beforeExpiry.KeyId);
        Assert.Equal(newVersion, afterExpiry.KeyId);
        Assert.Equal(newBytes, afterExpiry.Bytes);
        Assert.Equal(2, vault.Reads(DataSecret, null));
    }

    [Fact]
    public async Task GetCurrentAsync_ThenGetAsyncOfThatId_ServedFromCache()
    {
        // Arrange
        vault.AddVersion(IndexSecret);
        var ring = NewRing();
        var currentKey = await ring.GetCurrentAsync(KeyPurpose.Index, CancellationToken.None);

        // Act
        var byId = await ring.GetAsync(KeyPurpose.Index, currentKey.KeyId, CancellationToken.None);

        // Assert
        Assert.Equal(currentKey.Bytes, byId.Bytes);
        Assert.Equal(0, vault.Reads(IndexSecret, currentKey.KeyId));
    }

    [Fact]
    public async Task GetCurrentAsync_CustomPrefixAndInterval_UsesThem()
    {
        // Arrange
        vault.AddVersion("ops-index-key");
        var ring = new KeyVaultKeyRing(vault, new KeyVaultKeyRingOptions { SecretNamePrefix = "ops", CurrentKeyRefreshInterval = TimeSpan.FromSeconds(30) }, time);
        await ring.GetCurrentAsync(KeyPurpose.Index, CancellationToken.None);

        // Act
        time.Advance(TimeSpan.FromSeconds(31));
        await ring.GetCurrentAsync(KeyPurpose.Index, CancellationToken.None);

        // Assert
        Assert.Equal(2, vault.Reads("ops-index-key", null));
    }

    [Fact]
    public async Task RotateAsync_ExistingKey_NewCurrentAndOldDataStillOpens()
    {
        // Arrange
        vault.AddVersion(DataSecret);
        var ring = NewRing();
        var oldKey = await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);
        var aad = FieldEnvelope.AssociatedData("ledger-1", 42, "notes", oldKey.KeyId);
        var envelope = FieldEnvelope.Seal(oldKey, "sealed before rotation"u8, aad);

        // Act
        var rotated = await ring.RotateAsync(KeyPurpose.Data, CancellationToken.None);

        // Assert
        Assert.NotEqual(oldKey.KeyId, rotated.KeyId);
        Assert.Equal(rotated.KeyId, (await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None)).KeyId);
        Assert.Equal(KeyVaultKeyRing.SecretContentType, vault.ContentTypeOf(DataSecret, rotated.KeyId));
        Assert.Equal(Convert.ToBase64String(rotated.Bytes), vault.ValueOf(DataSecret, rotated.KeyId));
        var coldRing = NewRing();
        var keyForEnvelope = await coldRing.GetAsync(KeyPurpose.Data, FieldEnvelope.ReadKeyId(envelope), CancellationToken.None);
        Assert.Equal("sealed before rotation"u8.ToArray(), FieldEnvelope.Open(keyForEnvelope, envelope, aad));
        Assert.Equal(oldKey.Bytes, (await ring.GetAsync(KeyPurpose.Data, oldKey.KeyId, CancellationToken.None)).Bytes);
    }

    [Fact]
    public async Task RotateAsync_BeforeRefreshInterval_NewVersionIsCurrentWithoutReread()
    {
        // Arrange
        vault.AddVersion(DataSecret);
        var ring = NewRing();
        await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);

        // Act
        var rotated = await ring.RotateAsync(KeyPurpose.Data, CancellationToken.None);
        var currentKey = await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);
        var byId = await ring.GetAsync(KeyPurpose.Data, rotated.KeyId, CancellationToken.None);

        // Assert
        Assert.Equal(rotated.KeyId, currentKey.KeyId);
        Assert.Equal(rotated.Bytes, byId.Bytes);
        Assert.Equal(1, vault.Reads(DataSecret, null));
        Assert.Equal(0, vault.Reads(DataSecret, rotated.KeyId));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task GetCurrentAsync_VaultThrottledOrDown_ThrowsKeyUnavailableAndRetriesNextCall(int status)
    {
        // Arrange
        var (version, _) = vault.AddVersion(DataSecret);
        var ring = NewRing();
        vault.FailWith = status;

        // Act
        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None).AsTask());
        vault.FailWith = null;
        var recovered = await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);

        // Assert
        Assert.Contains("Key Vault unavailable", error.Message, StringComparison.Ordinal);
        Assert.Equal(status, Assert.IsType<RequestFailedException>(error.InnerException).Status);
        Assert.Equal(version, recovered.KeyId);
        Assert.Equal(2, vault.Reads(DataSecret, null));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task GetAsync_VaultThrottledOrDown_ThrowsKeyUnavailableAndRetriesNextCall(int status)
    {
        // Arrange
        var (version, bytes) = vault.AddVersion(DataSecret);
        var ring = NewRing();
        vault.FailWith = status;

        // Act
        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => ring.GetAsync(KeyPurpose.Data, version, CancellationToken.None).AsTask());
        vault.FailWith = null;
        var recovered = await ring.GetAsync(KeyPurpose.Data, version, CancellationToken.None);
        await ring.GetAsync(KeyPurpose.Data, version, CancellationToken.None);

        // Assert
        Assert.Contains("Key Vault unavailable", error.Message, StringComparison.Ordinal);
        Assert.IsType<RequestFailedException>(error.InnerException);
        Assert.Equal(bytes, recovered.Bytes);
        Assert.Equal(2, vault.Reads(DataSecret, version));
    }

    [Fact]
    public async Task GetAsync_NetworkFailure_ThrowsKeyUnavailable()
    {
        // Arrange: the SDK reports transport failures as status 0.
        var (version, _) = vault.AddVersion(DataSecret);
        var ring = NewRing();
        vault.FailWith = 0;

        // Act
        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => ring.GetAsync(KeyPurpose.Data, version, CancellationToken.None).AsTask());

        // Assert
        Assert.Contains("Key Vault unavailable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCurrentAsync_NoSecretInVault_ThrowsKeyUnavailableNamingInitCommand()
    {
        // Arrange
        var ring = NewRing();

        // Act
        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => ring.GetCurrentAsync(KeyPurpose.Index, CancellationToken.None).AsTask());

        // Assert
        Assert.Contains("welfare-audit keys init", error.Message, StringComparison.Ordinal);
        Assert.Contains("index", error.Message, StringComparison.Ordinal);
        Assert.Equal(404, Assert.IsType<RequestFailedException>(error.InnerException).Status);
    }

    [Fact]
    public async Task GetAsync_UnknownVersion_ThrowsKeyUnavailableNamingIdAndPurpose()
    {
        // Arrange
        vault.AddVersion(DataSecret);
        var ring = NewRing();
        const string unknown = "0123456789abcdef0123456789abcdef";

        // Act
        var error = await Assert.ThrowsAsync<UnknownKeyIdException>(() => ring.GetAsync(KeyPurpose.Data, unknown, CancellationToken.None).AsTask());

        // Assert
        Assert.Contains(unknown, error.Message, StringComparison.Ordinal);
        Assert.Contains("data", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../other-secret")]
    [InlineData("")]
    [InlineData("abc def")]
    public async Task GetAsync_IdThatCannotBeAVersion_ThrowsWithoutCallingVault(string keyId)
    {
        // Arrange
        var ring = NewRing();

        // Act
        var act = () => ring.GetAsync(KeyPurpose.Data, keyId, CancellationToken.None).AsTask();

        // Assert
        await Assert.ThrowsAsync<UnknownKeyIdException>(act);
        Assert.Equal(0, vault.TotalReads);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("")]
    public async Task GetAsync_SecretValueNotA32ByteKey_ThrowsKeyUnavailableNamingSecretAndVersion(string value)
    {
        // Arrange
        var version = vault.AddRawVersion(DataSecret, value);
        var ring = NewRing();

        // Act
        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => ring.GetAsync(KeyPurpose.Data, version, CancellationToken.None).AsTask());

        // Assert
        Assert.Contains(DataSecret, error.Message, StringComparison.Ordinal);
        Assert.Contains(version, error.Message, StringComparison.Ordinal);
        if (value.Length > 0)
        {
            Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetCurrentAsync_FailureMessages_HoldNoKeyMaterial()
    {
        // Arrange
        var (version, bytes) = vault.AddVersion(DataSecret);
        var ring = NewRing();
        var value = Convert.ToBase64String(bytes);
        vault.FailWith = 503;

        // Act
        var unavailable = await Assert.ThrowsAsync<KeyUnavailableException>(() => ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None).AsTask());
        vault.FailWith = null;
        var missing = await Assert.ThrowsAsync<UnknownKeyIdException>(() => ring.GetAsync(KeyPurpose.Data, version + "ff", CancellationToken.None).AsTask());

        // Assert
        Assert.DoesNotContain(value, unavailable.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(value, missing.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateAsync_VaultThrottled_ThrowsKeyUnavailableAndCurrentUnchanged()
    {
        // Arrange
        var (version, _) = vault.AddVersion(DataSecret);
        var ring = NewRing();
        vault.FailWith = 429;

        // Act
        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => ring.RotateAsync(KeyPurpose.Data, CancellationToken.None));
        vault.FailWith = null;

        // Assert
        Assert.Contains("Key Vault unavailable", error.Message, StringComparison.Ordinal);
        Assert.Equal(version, (await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None)).KeyId);
    }

    private KeyVaultKeyRing NewRing() => new(vault, new KeyVaultKeyRingOptions(), time);
}

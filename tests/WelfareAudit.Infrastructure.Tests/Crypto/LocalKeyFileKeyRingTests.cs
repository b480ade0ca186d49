using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Tests.Support;

namespace WelfareAudit.Infrastructure.Tests.Crypto;

// The key file's protection is Unix permissions; on Windows these tests would fail, not pass vacuously.
[UnsupportedOSPlatform("windows")]
public sealed partial class LocalKeyFileKeyRingTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "wa-keyring-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 3, 9, 30, 0, TimeSpan.Zero));

    private string KeyPath => Path.Combine(folder, "nested", "keys.json");

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task GetCurrentAsync_NoFile_CreatesOwnerOnlyFileInNewFolder()
    {
        // Arrange
        var ring = new LocalKeyFileKeyRing(KeyPath, time);

        // Act
        await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);

        // Assert
        Assert.True(File.Exists(KeyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.GetDirectoryName(KeyPath)!) & (UnixFileMode.OtherRead | UnixFileMode.GroupRead));
    }

    [Fact]
    public async Task GetCurrentAsync_FileFromBeforeTheSigningKey_AddsOneAndKeepsTheOthers()
    {
        // Arrange: a key file written before the signing purpose existed.
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        var data = Convert.ToBase64String(new byte[32]);
        var index = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());
        File.WriteAllText(KeyPath, JsonSerializer.Serialize(new
        {
            version = 1,
            keys = new
            {
                data = new[] { new { id = new string('a', 32), key = data, createdAt = "2026-01-01T00:00:00+00:00" } },
                index = new[] { new { id = new string('b', 32), key = index, createdAt = "2026-01-01T00:00:00+00:00" } },
            },
        }));
        var ring = new LocalKeyFileKeyRing(KeyPath, time);

        // Act
        var signing = await ring.GetCurrentAsync(KeyPurpose.Signing, CancellationToken.None);
        var dataKey = await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);

        // Assert
        Assert.Equal(32, signing.Bytes.Length);
        Assert.Equal(new string('a', 32), dataKey.KeyId);
        Assert.Equal(new byte[32], dataKey.Bytes);
        using var file = JsonDocument.Parse(File.ReadAllText(KeyPath));
        Assert.Equal(signing.KeyId, file.RootElement.GetProperty("keys").GetProperty("signing")[0].GetProperty("id").GetString());
        Assert.Equal(signing.KeyId, (await new LocalKeyFileKeyRing(KeyPath, time).GetCurrentAsync(KeyPurpose.Signing, CancellationToken.None)).KeyId);
    }

    [Fact]
    public async Task GetCurrentAsync_NoFile_WritesOneRandomKeyPerPurpose()
    {
        // Arrange
        var ring = new LocalKeyFileKeyRing(KeyPath, time);

        // Act
        var data = await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);
        var index = await ring.GetCurrentAsync(KeyPurpose.Index, CancellationToken.None);

        // Assert
        Assert.Matches("^[0-9a-f]{32}$", data.KeyId);
        Assert.Equal(32, data.Bytes.Length);
        Assert.NotEqual(data.KeyId, index.KeyId);
        Assert.NotEqual(data.Bytes, index.Bytes);
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(KeyPath));
        Assert.Equal(1, json.RootElement.GetProperty("version").GetInt32());
        var stored = json.RootElement.GetProperty("keys").GetProperty("data")[0];
        Assert.Equal(data.KeyId, stored.GetProperty("id").GetString());
        Assert.Equal(Convert.ToBase64String(data.Bytes), stored.GetProperty("key").GetString());
        Assert.Equal(time.GetUtcNow(), stored.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(index.KeyId, json.RootElement.GetProperty("keys").GetProperty("index")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task GetCurrentAsync_SecondInstanceOnSamePath_ReturnsSameKeys()
    {
        // Arrange
        var first = new LocalKeyFileKeyRing(KeyPath, time);
        var data = await first.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);
        var index = await first.GetCurrentAsync(KeyPurpose.Index, CancellationToken.None);

        // Act
        var second = new LocalKeyFileKeyRing(KeyPath, time);
        var data2 = await second.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);
        var index2 = await second.GetCurrentAsync(KeyPurpose.Index, CancellationToken.None);

        // Assert
        Assert.Equal(data, data2, KeyComparer);
        Assert.Equal(index, index2, KeyComparer);
    }

    [Fact]
    public async Task GetCurrentAsync_ManyConcurrentFirstCalls_AllSeeOneKey()
    {
        // Arrange
        var ring = new LocalKeyFileKeyRing(KeyPath, time);

        // Act
        var keys = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None).AsTask())));

        // Assert
        Assert.Single(keys.Select(k => k.KeyId).Distinct());
        var reread = await new LocalKeyFileKeyRing(KeyPath, time).GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);
        Assert.Equal(keys[0], reread, KeyComparer);
    }

    [Fact]
    public async Task RotateAsync_ThenNewInstance_SeesNewCurrentAndOldKeyStillReadable()
    {
        // Arrange
        var ring = new LocalKeyFileKeyRing(KeyPath, time);
        var oldData = await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);
        var index = await ring.GetCurrentAsync(KeyPurpose.Index, CancellationToken.None);
        var aad = FieldEnvelope.AssociatedData("ledger-1", 1, "notes", oldData.KeyId);
        var envelope = FieldEnvelope.Seal(oldData, "sealed before rotation"u8, aad);

        // Act
        var rotated = await ring.RotateAsync(KeyPurpose.Data, CancellationToken.None);
        var reopened = new LocalKeyFileKeyRing(KeyPath, time);

        // Assert
        Assert.NotEqual(oldData.KeyId, rotated.KeyId);
        Assert.Equal(rotated, await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None), KeyComparer);
        Assert.Equal(rotated, await reopened.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None), KeyComparer);
        Assert.Equal(index, await reopened.GetCurrentAsync(KeyPurpose.Index, CancellationToken.None), KeyComparer);
        var oldKey = await reopened.GetAsync(KeyPurpose.Data, FieldEnvelope.ReadKeyId(envelope), CancellationToken.None);
        Assert.Equal("sealed before rotation"u8.ToArray(), FieldEnvelope.Open(oldKey, envelope, aad));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
    }

    [Fact]
    public async Task RotateAsync_ByAnotherInstance_KeyBecomesReadableHere()
    {
        // Arrange: this instance has already loaded the file before the other one rotates.
        var here = new LocalKeyFileKeyRing(KeyPath, time);
        await here.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);
        var elsewhere = new LocalKeyFileKeyRing(KeyPath, time);

        // Act
        var rotated = await elsewhere.RotateAsync(KeyPurpose.Data, CancellationToken.None);
        var found = await here.GetAsync(KeyPurpose.Data, rotated.KeyId, CancellationToken.None);

        // Assert
        Assert.Equal(rotated, found, KeyComparer);
    }

    [Fact]
    public async Task RotateAsync_AnyRotation_LeavesNoTemporaryFiles()
    {
        // Arrange
        var ring = new LocalKeyFileKeyRing(KeyPath, time);

        // Act
        await ring.RotateAsync(KeyPurpose.Index, CancellationToken.None);
        await ring.RotateAsync(KeyPurpose.Index, CancellationToken.None);

        // Assert
        Assert.Equal([KeyPath], Directory.GetFiles(Path.GetDirectoryName(KeyPath)!));
    }

    [Fact]
    public async Task GetAsync_UnknownKeyId_ThrowsKeyUnavailableNamingIdAndPurpose()
    {
        // Arrange
        var ring = new LocalKeyFileKeyRing(KeyPath, time);
        var data = await ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);
        const string unknown = "00000000000000000000000000000000";

        // Act
        var error = await Assert.ThrowsAsync<UnknownKeyIdException>(() => ring.GetAsync(KeyPurpose.Data, unknown, CancellationToken.None).AsTask());

        // Assert
        Assert.Contains(unknown, error.Message, StringComparison.Ordinal);
        Assert.Contains("data", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(data.Bytes), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_IdOfOtherPurpose_ThrowsKeyUnavailable()
    {
        // Arrange
        var ring = new LocalKeyFileKeyRing(KeyPath, time);
        var index = await ring.GetCurrentAsync(KeyPurpose.Index, CancellationToken.None);

        // Act
        var act = () => ring.GetAsync(KeyPurpose.Data, index.KeyId, CancellationToken.None).AsTask();

        // Assert
        await Assert.ThrowsAsync<UnknownKeyIdException>(act);
    }

    public static TheoryData<string> CorruptContents => new()
    {
        "not json at all",
        "",
        "{\"version\":2,\"keys\":{}}",
        "{\"version\":1}",
        "{\"version\":1,\"keys\":{\"data\":[{\"id\":\"0123456789abcdef0123456789abcdef\",\"key\":\"AAAA\",\"createdAt\":\"2026-01-01T00:00:00Z\"}],\"index\":[]}}",
        "{\"version\":1,\"keys\":{\"data\":[{\"id\":\"short\",\"key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"createdAt\":\"2026-01-01T00:00:00Z\"}],\"index\":[{\"id\":\"0123456789abcdef0123456789abcdef\",\"key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"createdAt\":\"2026-01-01T00:00:00Z\"}]}}",
    };

    [Theory]
    [MemberData(nameof(CorruptContents))]
    public async Task GetCurrentAsync_CorruptFile_ThrowsInvalidDataNamingPath(string contents)
    {
        // Arrange
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        await File.WriteAllTextAsync(KeyPath, contents);
        var ring = new LocalKeyFileKeyRing(KeyPath, time);

        // Act
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None).AsTask());

        // Assert
        Assert.Contains(KeyPath, error.Message, StringComparison.Ordinal);
        Assert.Equal(contents, await File.ReadAllTextAsync(KeyPath));
    }

    /// <summary>
    /// Corrupt key files whose content is key material: random keys and ids, so any fragment of the file
    /// that reaches a log or an exception can be found. Each row breaks the file one way.
    /// </summary>
    public static TheoryData<string> Corruptions => new()
    {
        "bad JSON: a key not quoted",
        "bad JSON: a key as a member name",
        "bad JSON: cut inside a key",
        "bad JSON: version is a string",
        "bad base64",
        "wrong key length (16 bytes)",
        "wrong key length (31 bytes)",
        "id not hex",
        "createdAt not a time",
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public async Task GetCurrentAsync_CorruptFile_LogsAndThrowsNoFragmentOfTheFile(string corruption)
    {
        // Arrange
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        string Entry(string entryId, string key, string createdAt = "\"2026-01-01T00:00:00Z\"") =>
            $"{{\"id\":\"{entryId}\",\"key\":{key},\"createdAt\":{createdAt}}}";
        string KeyFile(string dataEntry, string version = "1") =>
            $"{{\"version\":{version},\"keys\":{{\"data\":[{dataEntry}],\"index\":[{Entry(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), Quoted(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))))}]}}}}";
        static string Quoted(string s) => "\"" + s + "\"";
        var valid = KeyFile(Entry(id, Quoted(secret)));
        var contents = corruption switch
        {
            "bad JSON: a key not quoted" => KeyFile(Entry(id, "t" + secret)),
            "bad JSON: a key as a member name" => $"{{\"version\":1,\"keys\":{{{Quoted(secret)}:5}}}}",
            "bad JSON: cut inside a key" => valid[..(valid.IndexOf(secret, StringComparison.Ordinal) + 30)],
            "bad JSON: version is a string" => KeyFile(Entry(id, Quoted(secret)), Quoted(secret)),
            "bad base64" => KeyFile(Entry(id, Quoted(secret[..20] + "!*" + secret[22..]))),
            "wrong key length (16 bytes)" => KeyFile(Entry(id, Quoted(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))))),
            "wrong key length (31 bytes)" => KeyFile(Entry(id, Quoted(Convert.ToBase64String(RandomNumberGenerator.GetBytes(31))))),
            "id not hex" => KeyFile(Entry(secret[..32], Quoted(secret))),
            "createdAt not a time" => KeyFile(Entry(id, Quoted(secret), Quoted(secret))),
            _ => throw new ArgumentOutOfRangeException(nameof(corruption)),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        await File.WriteAllTextAsync(KeyPath, contents);
        var log = new CapturingLogger<LocalKeyFileKeyRing>();
        var ring = new LocalKeyFileKeyRing(KeyPath, time, log);

        // Act: as a request that needs a key would, logging the failure as the HTTP layer does.
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ring.GetCurrentAsync(KeyPurpose.Data, CancellationToken.None).AsTask());
        log.LogError(error, "Unexpected failure while handling a request");

        // Assert: the file is named, and no run of the file's own characters (keys, ids, names, times) is shown.
        Assert.Contains(KeyPath, error.Message, StringComparison.Ordinal);
        Assert.Contains(log.Records, r => r.StartsWith("Error 7001 ", StringComparison.Ordinal) && r.Contains(KeyPath, StringComparison.Ordinal));
        var fragments = FileFragments().Matches(contents).Select(m => m.Value)
            .Where(f => !SchemaWords.Contains(f)).Distinct().ToList();
        Assert.NotEmpty(fragments);
        var shown = log.Text + "\n" + error;
        foreach (var fragment in fragments)
        {
            Assert.False(shown.Contains(fragment, StringComparison.Ordinal), $"'{fragment}' of the key file appears in: {shown}");
        }
        Assert.Equal(contents, await File.ReadAllTextAsync(KeyPath));
    }

    /// <summary>The format's own words, which may be named in a message; everything else in the file is content.</summary>
    private static readonly HashSet<string> SchemaWords = new(StringComparer.Ordinal) { "version", "keys", "data", "index", "signing", "createdAt" };

    [GeneratedRegex("[A-Za-z0-9+/=_:.-]{6,}")]
    private static partial Regex FileFragments();

    [Fact]
    public async Task GetCurrentAsync_ExistingWorldReadableFile_TightensToOwnerOnly()
    {
        // Arrange
        await new LocalKeyFileKeyRing(KeyPath, time).GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        // Act
        await new LocalKeyFileKeyRing(KeyPath, time).GetCurrentAsync(KeyPurpose.Data, CancellationToken.None);

        // Assert
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
    }

    private static readonly IEqualityComparer<KeyMaterial> KeyComparer = EqualityComparer<KeyMaterial>.Create(
        (a, b) => a is not null && b is not null && a.KeyId == b.KeyId && a.Bytes.AsSpan().SequenceEqual(b.Bytes),
        k => k.KeyId.GetHashCode(StringComparison.Ordinal));
}

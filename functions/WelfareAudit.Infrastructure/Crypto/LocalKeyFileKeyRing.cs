using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WelfareAudit.Infrastructure.Crypto;

/// <summary>
/// The development key ring: one JSON file holding every key of every purpose,
/// <c>{"version":1,"keys":{"data":[{"id","key","createdAt"}],"index":[...],"signing":[...]}}</c>, the last key of each
/// list being current. Created on first use with a fresh key per purpose, owner-only (0600), and always
/// replaced whole (temp file + rename) so a crash never leaves half a key file.
/// Not for production: the keys sit on disk unwrapped. Production uses <c>KeyVaultKeyRing</c>.
/// A corrupt file is reported by its path and what is wrong with it, never by its content: no key, id,
/// member name or parser message (System.Text.Json quotes the text it stopped at) reaches a log or an exception.
/// </summary>
public sealed partial class LocalKeyFileKeyRing : IKeyRing
{
    private const int FileFormatVersion = 1;

    /// <summary>Purposes added after the first key files were written: a file without them is upgraded, not corrupt.</summary>
    private static readonly IReadOnlySet<KeyPurpose> AddedLater = new HashSet<KeyPurpose> { KeyPurpose.Signing };

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    private readonly string path;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    // File I/O here is a few hundred bytes, once at start and on the rare rotation, so a plain lock is enough.
    private readonly Lock gate = new();
    private volatile KeySet? keys;

    public LocalKeyFileKeyRing(string path, TimeProvider time, ILogger<LocalKeyFileKeyRing>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(time);
        this.path = Path.GetFullPath(path);
        this.time = time;
        this.logger = logger ?? NullLogger<LocalKeyFileKeyRing>.Instance;
    }

    public ValueTask<KeyMaterial> GetCurrentAsync(KeyPurpose purpose, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Load().Current(purpose));
    }

    public ValueTask<KeyMaterial> GetAsync(KeyPurpose purpose, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        cancellationToken.ThrowIfCancellationRequested();
        if (Load().TryGet(purpose, keyId, out var key))
        {
            return ValueTask.FromResult(key);
        }

        // Another process (the CLI, a second host) may have rotated since we read the file.
        lock (gate)
        {
            keys = Read() ?? keys;
        }
        if (keys!.TryGet(purpose, keyId, out key))
        {
            return ValueTask.FromResult(key);
        }
        throw new UnknownKeyIdException($"No {PurposeName(purpose)} key with id '{Printable(keyId)}' in the key file '{path}'.");
    }

    public Task<KeyMaterial> RotateAsync(KeyPurpose purpose, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            // Re-read so a rotation made by another process since our last read is not overwritten.
            var current = Read() ?? CreateOrAdopt();
            var rotated = current.With(purpose, NewKey());
            Write(rotated, overwrite: true);
            keys = rotated;
            return Task.FromResult(rotated.Current(purpose));
        }
    }

    private KeySet Load()
    {
        var loaded = keys;
        if (loaded is not null)
        {
            return loaded;
        }
        lock (gate)
        {
            return keys ??= Read() ?? CreateOrAdopt();
        }
    }

    /// <summary>Writes a fresh key file, unless another process created one first: then that one is used.</summary>
    private KeySet CreateOrAdopt()
    {
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, OwnerOnlyFolder);
            }
        }
        var fresh = new KeySet(new Dictionary<KeyPurpose, IReadOnlyList<StoredKey>>
        {
            [KeyPurpose.Data] = [NewKey()],
            [KeyPurpose.Index] = [NewKey()],
            [KeyPurpose.Signing] = [NewKey()],
        });
        try
        {
            Write(fresh, overwrite: false);
            return fresh;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Read() ?? throw new InvalidDataException($"The key file '{path}' vanished while it was being created.");
        }
    }

    private StoredKey NewKey() => new(
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        RandomNumberGenerator.GetBytes(FieldEnvelope.KeySize),
        time.GetUtcNow());

    /// <summary>The key file's contents, or null if there is no file yet.</summary>
    private KeySet? Read()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        TightenPermissions();
        var set = Parse(bytes);
        var missing = AddedLater.Where(p => !set.Lists.ContainsKey(p)).ToList();
        if (missing.Count == 0)
        {
            return set;
        }
        // A key file from before a purpose existed gets a fresh key for it; the other keys are kept as they are.
        var upgraded = missing.Aggregate(set, (current, purpose) => current.With(purpose, NewKey()));
        Write(upgraded, overwrite: true);
        return upgraded;
    }

    private void TightenPermissions()
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnlyFile) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnlyFile);
        }
    }

    private KeySet Parse(byte[] bytes)
    {
        KeyFile? file;
        try
        {
            file = JsonSerializer.Deserialize<KeyFile>(bytes, JsonOptions);
        }
        catch (JsonException e)
        {
            // Its message and path quote the file (a key, a member name): only the position is kept, and the
            // exception is not attached, since loggers print inner exceptions too.
            throw Corrupt(e.LineNumber is { } line && e.BytePositionInLine is { } column
                ? $"it is not valid JSON of the key file format (line {(line + 1).ToString(CultureInfo.InvariantCulture)}, byte {(column + 1).ToString(CultureInfo.InvariantCulture)})"
                : "it is not valid JSON of the key file format");
        }
        if (file is null || file.Version != FileFormatVersion)
        {
            throw Corrupt($"expected format version {FileFormatVersion}");
        }
        if (file.Keys is null)
        {
            throw Corrupt("it has no \"keys\"");
        }
        var lists = new Dictionary<KeyPurpose, IReadOnlyList<StoredKey>>();
        foreach (var purpose in Enum.GetValues<KeyPurpose>())
        {
            var name = PurposeName(purpose);
            if (!file.Keys.TryGetValue(name, out var entries) || entries is null || entries.Count == 0)
            {
                if (AddedLater.Contains(purpose) && !file.Keys.ContainsKey(name))
                {
                    continue;
                }
                throw Corrupt($"it has no {name} keys");
            }
            var list = new List<StoredKey>(entries.Count);
            foreach (var entry in entries)
            {
                list.Add(ParseEntry(name, list.Count, entry));
            }
            if (list.DistinctBy(k => k.Id, StringComparer.Ordinal).Count() != list.Count)
            {
                throw Corrupt($"two {name} keys share an id");
            }
            lists[purpose] = list;
        }
        return new KeySet(lists);
    }

    private StoredKey ParseEntry(string purposeName, int position, KeyEntry? entry)
    {
        var where = $"{purposeName} key #{position.ToString(CultureInfo.InvariantCulture)}";
        if (entry?.Id is not { Length: 32 } id || !id.All(char.IsAsciiHexDigitLower))
        {
            throw Corrupt($"{where} has no id of 32 lower-case hex digits");
        }
        var buffer = new byte[64];
        if (entry.Key is null || !Convert.TryFromBase64String(entry.Key, buffer, out var written) || written != FieldEnvelope.KeySize)
        {
            throw Corrupt($"{where} is not base64 of {FieldEnvelope.KeySize.ToString(CultureInfo.InvariantCulture)} bytes");
        }
        return new StoredKey(id, buffer[..written], entry.CreatedAt);
    }

    /// <summary>Logs and returns the failure; <paramref name="reason"/> is our own words and positions, never file content.</summary>
    private InvalidDataException Corrupt(string reason)
    {
        Log.CorruptKeyFile(logger, path, reason);
        return new($"The key file '{path}' is corrupt: {reason}. Restore it from a backup; a new key file cannot open data sealed with the old keys.");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7001, Level = LogLevel.Error, Message = "The key file {Path} is corrupt: {Reason}. Restore it from a backup.")]
        public static partial void CorruptKeyFile(ILogger logger, string path, string reason);
    }

    private void Write(KeySet set, bool overwrite)
    {
        var file = new KeyFile
        {
            Version = FileFormatVersion,
            Keys = Enum.GetValues<KeyPurpose>().ToDictionary(
                PurposeName,
                List<KeyEntry?>? (p) => [.. set.Lists[p].Select(k => new KeyEntry { Id = k.Id, Key = Convert.ToBase64String(k.Bytes), CreatedAt = k.CreatedAt })]),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(file, JsonOptions);
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Set at open(2), so the file is never readable by others, not even before a chmod.
            options.UnixCreateMode = OwnerOnlyFile;
        }
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>A key id read from a stored envelope may hold anything: only printable ASCII reaches a message.</summary>
    private static string Printable(string keyId) => new([.. keyId.Take(64).Select(c => c is >= ' ' and < (char)127 ? c : '?')]);

    private static string PurposeName(KeyPurpose purpose) => purpose switch
    {
        KeyPurpose.Data => "data",
        KeyPurpose.Index => "index",
        KeyPurpose.Signing => "signing",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Unknown key purpose."),
    };

    private sealed record StoredKey(string Id, byte[] Bytes, DateTimeOffset CreatedAt)
    {
        public KeyMaterial Material { get; } = new(Id, Bytes);
    }

    /// <summary>An immutable snapshot of the file, so readers need no lock.</summary>
    private sealed class KeySet(IReadOnlyDictionary<KeyPurpose, IReadOnlyList<StoredKey>> lists)
    {
        private readonly Dictionary<(KeyPurpose, string), KeyMaterial> byId = lists
            .SelectMany(p => p.Value.Select(k => (Key: (p.Key, k.Id), k.Material)))
            .ToDictionary(e => e.Key, e => e.Material);

        public IReadOnlyDictionary<KeyPurpose, IReadOnlyList<StoredKey>> Lists { get; } = lists;

        public KeyMaterial Current(KeyPurpose purpose) => Lists[purpose][^1].Material;

        public bool TryGet(KeyPurpose purpose, string keyId, out KeyMaterial key) =>
            byId.TryGetValue((purpose, keyId), out key!);

        public KeySet With(KeyPurpose purpose, StoredKey added)
        {
            var lists = Lists.ToDictionary(p => p.Key, p => p.Value);
            lists[purpose] = [.. lists.GetValueOrDefault(purpose) ?? [], added];
            return new KeySet(lists);
        }
    }

    private sealed class KeyFile
    {
        public int Version { get; set; }

        public Dictionary<string, List<KeyEntry?>?>? Keys { get; set; }
    }

    private sealed class KeyEntry
    {
        public string? Id { get; set; }

        public string? Key { get; set; }

        public DateTimeOffset CreatedAt { get; set; }
    }
}

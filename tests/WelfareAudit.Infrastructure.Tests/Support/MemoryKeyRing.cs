using System.Security.Cryptography;
using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Infrastructure.Tests.Support;

/// <summary>A key ring held in memory, counting reads, for tests that are about the ledger rather than key storage.</summary>
public sealed class MemoryKeyRing : IKeyRing
{
    private readonly Lock _lock = new();
    private readonly Dictionary<KeyPurpose, List<KeyMaterial>> _keys = new()
    {
        [KeyPurpose.Data] = [New()],
        [KeyPurpose.Index] = [New()],
    };

    public ValueTask<KeyMaterial> GetCurrentAsync(KeyPurpose purpose, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_keys[purpose][^1]);
        }
    }

    public ValueTask<KeyMaterial> GetAsync(KeyPurpose purpose, string keyId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_keys[purpose].FirstOrDefault(k => k.KeyId == keyId) ?? throw new KeyUnavailableException("Unknown key " + keyId));
        }
    }

    public Task<KeyMaterial> RotateAsync(KeyPurpose purpose, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = New();
            _keys[purpose].Add(key);
            return Task.FromResult(key);
        }
    }

    private static KeyMaterial New() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), RandomNumberGenerator.GetBytes(32));
}

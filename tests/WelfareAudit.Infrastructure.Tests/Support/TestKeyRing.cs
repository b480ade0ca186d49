using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Infrastructure.Tests.Support;

/// <summary>The real development key ring on a fresh key file in a temporary folder.</summary>
public static class TestKeyRing
{
    public static LocalKeyFileKeyRing Create() =>
        new(Path.Combine(Directory.CreateTempSubdirectory("wa-keys-").FullName, "keys.json"), TimeProvider.System);
}

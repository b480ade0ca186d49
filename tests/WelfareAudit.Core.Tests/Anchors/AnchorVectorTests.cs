using System.Security.Cryptography;
using System.Text;
using WelfareAudit.Core.Anchors;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Testing;

namespace WelfareAudit.Core.Tests.Anchors;

/// <summary>
/// The anchor test vectors under <c>docs/vectors/anchors/</c> (docs/ledger-format.md §14): a public key and anchors for
/// two ledgers, one of whose ids ends in a dot. The key and every value are fixed; ECDSA signatures are randomised, so the
/// committed blobs are the vector and this test checks them against the format, the documented name and the key, and
/// regenerates them only when asked (<c>WA_WRITE_VECTORS=1</c>).
/// </summary>
public class AnchorVectorTests
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "docs", "vectors", "anchors");

    /// <summary>The vector key's private scalar: SHA-256 of a fixed text (a test key; it signs nothing real).</summary>
    private static byte[] PrivateScalar() => SHA256.HashData("welfare-audit anchor test vector key"u8);

    private static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The vector's checkpoints: (ledger, upToSequence, headHash, signedAt).</summary>
    private static readonly (string Ledger, long Sequence, string Head, DateTimeOffset SignedAt)[] Checkpoints =
    [
        ("6f1c2a44-0b7e-4d5a-9c1e-2f3a4b5c6d7e", 5, HashOf("vector head 5"), new DateTimeOffset(2026, 11, 25, 0, 5, 0, TimeSpan.Zero)),
        ("6f1c2a44-0b7e-4d5a-9c1e-2f3a4b5c6d7e", 11, HashOf("vector head 11"), new DateTimeOffset(2026, 11, 26, 0, 5, 0, TimeSpan.Zero)),
        ("practice.", 1, HashOf("vector head practice 1"), new DateTimeOffset(2026, 11, 26, 0, 5, 0, 1, TimeSpan.Zero)),
    ];

    private const string KeyId = "vector-key-1";

    [Fact]
    public void Vectors_Committed_EachIsTheCanonicalAnchorOfItsCheckpointUnderItsNameSignedByTheVectorKey()
    {
        using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = PrivateScalar() });
        if (Environment.GetEnvironmentVariable("WA_WRITE_VECTORS") == "1")
        {
            Write(key);
        }
        Assert.True(Directory.Exists(Folder), $"The anchor vectors are missing: run this test once with WA_WRITE_VECTORS=1 to write {Folder}.");

        using var published = CheckpointStatement.ImportPublicKey(File.ReadAllText(Path.Combine(Folder, "public-key.pem")));
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), published.ExportSubjectPublicKeyInfo());
        var files = Directory.EnumerateFiles(Folder, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Folder, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal).ToList();
        var expected = Checkpoints.Select(c => new AnchorName(c.Ledger, c.Sequence, c.Head).BlobName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, files);
        Assert.Contains("practice.~/00000000000000000001-", string.Join("\n", files), StringComparison.Ordinal);
        foreach (var c in Checkpoints)
        {
            var name = new AnchorName(c.Ledger, c.Sequence, c.Head).BlobName;
            var bytes = File.ReadAllBytes(Path.Combine(Folder, name));
            var anchor = CheckpointAnchor.TryParse(bytes, out var error);
            Assert.True(anchor is not null, name + ": " + error);
            Assert.Equal(new CheckpointAnchor(c.Ledger, c.Sequence, c.Head, c.SignedAt, KeyId, anchor.Signature), anchor);
            Assert.True(anchor.SignatureVerifies(published), name);
            Assert.Equal(anchor.Name.BlobName, name);
        }
    }

    private static void Write(ECDsa key)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "public-key.pem"), key.ExportSubjectPublicKeyInfoPem() + "\n");
        foreach (var c in Checkpoints)
        {
            var signature = Convert.ToBase64String(key.SignData(CheckpointStatement.Encode(c.Ledger, c.Sequence, c.Head, c.SignedAt), CheckpointStatement.Hash, CheckpointStatement.SignatureFormat));
            var anchor = new CheckpointAnchor(c.Ledger, c.Sequence, c.Head, c.SignedAt, KeyId, signature);
            var path = Path.Combine(Folder, anchor.Name.BlobName.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, anchor.ToBytes());
        }
    }
}

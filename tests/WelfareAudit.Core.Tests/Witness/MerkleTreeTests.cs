using WelfareAudit.Core.Witness;

namespace WelfareAudit.Core.Tests.Witness;

/// <summary>
/// The RFC 6962 tree hash against Certificate Transparency's published reference vectors
/// (transparency-dev/merkle testonly: eight leaves and the root at each size 0..8), which this project did not compute.
/// </summary>
public sealed class MerkleTreeTests
{
    private static readonly string[] Leaves =
    [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ];

    private static readonly string[] Roots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    [Fact]
    public void Root_CertificateTransparencyVectors_MatchAtEverySize()
    {
        var builder = new MerkleTreeBuilder();
        Assert.Equal(Roots[0], Convert.ToHexStringLower(builder.Root()));
        for (var n = 1; n <= Leaves.Length; n++)
        {
            builder.Append(Convert.FromHexString(Leaves[n - 1]));
            Assert.Equal(Roots[n], Convert.ToHexStringLower(builder.Root()));
            Assert.Equal(Roots[n], Convert.ToHexStringLower(MerkleTree.Root(Leaves.Take(n).Select(Convert.FromHexString))));
        }
    }

    [Fact]
    public void Root_AnySize_EqualsTheRecursiveDefinition()
    {
        // RFC 6962 2.1 written out as it reads (split at the largest power of two below n), for every shape up to 70 leaves.
        var leaves = Enumerable.Range(0, 70).Select(i => new[] { (byte)i, (byte)(i * 7) }).ToArray();
        var builder = new MerkleTreeBuilder();
        for (var n = 1; n <= leaves.Length; n++)
        {
            builder.Append(leaves[n - 1]);
            Assert.Equal(Convert.ToHexStringLower(Mth(leaves.AsSpan(0, n).ToArray())), Convert.ToHexStringLower(builder.Root()));
        }
    }

    private static byte[] Mth(byte[][] d)
    {
        if (d.Length == 1)
        {
            return MerkleTree.LeafHash(d[0]);
        }
        var k = 1;
        while (k * 2 < d.Length)
        {
            k *= 2;
        }
        return MerkleTree.NodeHash(Mth(d[..k]), Mth(d[k..]));
    }
}

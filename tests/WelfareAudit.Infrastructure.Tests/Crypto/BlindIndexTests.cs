using System.Text;
using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Infrastructure.Tests.Crypto;

public sealed class BlindIndexTests
{
    /// <summary>
    /// RFC 4231, "Identifiers and Test Vectors for HMAC-SHA-224, HMAC-SHA-256, HMAC-SHA-384, and
    /// HMAC-SHA-512", section 4, HMAC-SHA-256 results. Test case 5 is left out: it checks an output
    /// truncated to 128 bits, which the index never does. Columns: case, key hex, data hex, MAC hex.
    /// </summary>
    public static TheoryData<int, string, string, string> Rfc4231Vectors => new()
    {
        {
            1, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", Hex("Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        },
        {
            2, Hex("Jefe"), Hex("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        },
        {
            3, Repeat("aa", 20), Repeat("dd", 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        },
        {
            4, "0102030405060708090a0b0c0d0e0f10111213141516171819", Repeat("cd", 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        },
        {
            6, Repeat("aa", 131), Hex("Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        },
        {
            7, Repeat("aa", 131),
            Hex("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc4231Vectors))]
    public void Mac_Rfc4231Vector_ReturnsExpectedMac(int testCase, string keyHex, string dataHex, string macHex)
    {
        // Arrange
        var key = Convert.FromHexString(keyHex);
        var data = Convert.FromHexString(dataHex);

        // Act
        var mac = BlindIndex.Mac(key, data);

        // Assert
        Assert.True(macHex == Convert.ToHexStringLower(mac), $"RFC 4231 test case {testCase}");
    }

    [Fact]
    public void Compute_KnownKeyAndCode_IsKeyIdThenHexMacOfNormalizedCode()
    {
        // Arrange
        var key = IndexKey("idx-1", 0x11);

        // Act
        var index = BlindIndex.Compute(key, "ab-12");

        // Assert
        Assert.Equal("idx-1:" + Convert.ToHexStringLower(BlindIndex.Mac(key.Bytes, "AB-12"u8)), index);
    }

    [Theory]
    [InlineData(" ab-12 ")]
    [InlineData("ab-12")]
    [InlineData("Ab-12\t")]
    [InlineData("\u00a0AB-12\n")]
    public void Compute_SpacingAndCaseVariants_IndexLikeCanonicalCode(string variant)
    {
        // Arrange
        var key = IndexKey("idx-1", 0x22);

        // Act
        var index = BlindIndex.Compute(key, variant);

        // Assert
        Assert.Equal(BlindIndex.Compute(key, "AB-12"), index);
    }

    [Fact]
    public void Compute_ComposedAndDecomposedAccents_IndexAlike()
    {
        // Arrange: "É" precomposed (U+00C9) and as E + combining acute (U+0301); NFC makes them one.
        var key = IndexKey("idx-1", 0x33);

        // Act
        var composed = BlindIndex.Compute(key, "\u00c9L-7");
        var decomposed = BlindIndex.Compute(key, "E\u0301L-7");

        // Assert
        Assert.Equal(composed, decomposed);
    }

    [Fact]
    public void Compute_DifferentCodes_GiveDifferentIndexes()
    {
        // Arrange
        var key = IndexKey("idx-1", 0x44);

        // Act
        var first = BlindIndex.Compute(key, "AB-12");
        var second = BlindIndex.Compute(key, "AB-13");

        // Assert
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Compute_DifferentKeys_GiveDifferentIndexes()
    {
        // Arrange
        var first = IndexKey("idx-1", 0x55);
        var second = IndexKey("idx-1", 0x56);

        // Act
        var a = BlindIndex.Compute(first, "AB-12");
        var b = BlindIndex.Compute(second, "AB-12");

        // Assert
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Compute_AnyCode_StartsWithKeyIdAndHoldsNoPartOfTheCode()
    {
        // Arrange: a code of letters outside a-f and no digits, so any trace of it in the index shows.
        var key = IndexKey("0f1e2d3c4b5a69788796a5b4c3d2e1f0", 0x66);
        const string code = "ZORRO-KLMN";

        // Act
        var index = BlindIndex.Compute(key, code);

        // Assert
        Assert.StartsWith(key.KeyId + ":", index, StringComparison.Ordinal);
        var mac = index[(key.KeyId.Length + 1)..];
        Assert.Matches("^[0-9a-f]{64}$", mac);
        Assert.DoesNotContain(mac, c => code.Contains(char.ToUpperInvariant(c), StringComparison.Ordinal));
        Assert.DoesNotContain("ZORRO", index, StringComparison.OrdinalIgnoreCase);
    }

    private static KeyMaterial IndexKey(string keyId, byte fill) => new(keyId, Enumerable.Repeat(fill, 32).ToArray());

    private static string Hex(string ascii) => Convert.ToHexStringLower(Encoding.ASCII.GetBytes(ascii));

    private static string Repeat(string hexByte, int count) => string.Concat(Enumerable.Repeat(hexByte, count));
}

using System.Security.Cryptography;
using System.Text;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Tests.Ledger;

public class CanonicalEventTests
{
    private static readonly EventHeader Header = new("L1", 2, "NextSessionSet", new DateTimeOffset(2026, 11, 25, 14, 3, 7, TimeSpan.Zero).AddTicks(1234567), "oid-1");

    [Fact]
    public void Encode_KnownEvent_MatchesTheDocumentedBytes()
    {
        var clear = new Dictionary<string, string> { ["searchId"] = "s", ["a"] = "é" };
        var commitments = new Dictionary<string, byte[]> { ["note"] = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray() };

        var bytes = CanonicalEvent.Encode(Header, clear, commitments);

        // Built piece by piece from docs/ledger-format.md, "Canonical encoding".
        var expected = string.Concat(
            "57414556",                                   // "WAEV"
            "01",                                         // version
            "00000002", "4c31",                           // ledgerId "L1"
            "0000000000000002",                           // sequence 2
            "0000000e", Hex("NextSessionSet"),            // type
            "0000001c", Hex("2026-11-25T14:03:07.1234567Z"), // recordedAt
            "00000005", Hex("oid-1"),                     // actor
            "00000002",                                   // two clear fields, ordinal order: "a" < "searchId"
            "00000001", "61", "00000002", "c3a9",         // "a" = "é" (UTF-8 c3 a9)
            "00000008", Hex("searchId"), "00000001", "73",
            "00000001",                                   // one commitment
            "00000004", Hex("note"),
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        Assert.Equal(expected, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Encode_FieldOrder_DoesNotDependOnInsertionOrder()
    {
        var a = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1", ["B"] = "0" };
        var b = new Dictionary<string, string> { ["B"] = "0", ["a"] = "1", ["b"] = "2" };

        Assert.Equal(CanonicalEvent.Encode(Header, a, new Dictionary<string, byte[]>()), CanonicalEvent.Encode(Header, b, new Dictionary<string, byte[]>()));
    }

    [Fact]
    public void Encode_LengthPrefixes_KeepFieldBoundariesUnambiguous()
    {
        var one = new Dictionary<string, string> { ["ab"] = "c" };
        var two = new Dictionary<string, string> { ["a"] = "bc" };

        Assert.NotEqual(CanonicalEvent.Encode(Header, one, new Dictionary<string, byte[]>()), CanonicalEvent.Encode(Header, two, new Dictionary<string, byte[]>()));
    }

    [Fact]
    public void Encode_CommitmentOfWrongSize_Throws()
    {
        Assert.Throws<ArgumentException>(() => CanonicalEvent.Encode(Header, new Dictionary<string, string>(), new Dictionary<string, byte[]> { ["x"] = new byte[31] }));
    }

    [Fact]
    public void ChainHash_Next_IsSha256OfPreviousThenCanonical()
    {
        var canonical = Encoding.UTF8.GetBytes("abc");
        var previous = Enumerable.Repeat((byte)0xAB, 32).ToArray();

        var next = ChainHash.Next(previous, canonical);

        Assert.Equal(SHA256.HashData([.. previous, .. canonical]), next);
    }

    [Fact]
    public void ChainHash_OfEmptyInputAfterGenesis_MatchesFips180Vector()
    {
        // SHA-256 of 32 zero bytes (FIPS 180-4 SHA-256 applied to the genesis link with an empty event).
        var hash = ChainHash.Next(ChainHash.Genesis, []);

        Assert.Equal("66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925", ChainHash.ToHex(hash));
    }

    [Fact]
    public void FieldCommitment_Compute_MatchesTheDocumentedInput()
    {
        var salt = Enumerable.Repeat((byte)7, 32).ToArray();

        var commitment = FieldCommitment.Compute("note", salt, "hi");

        var input = Convert.FromHexString("5741434d" + "01" + "00000004" + Hex("note") + Convert.ToHexStringLower(salt) + "00000002" + Hex("hi"));
        Assert.Equal(SHA256.HashData(input), commitment);
    }

    [Fact]
    public void FieldCommitment_SameValueDifferentSalt_Differs()
    {
        Assert.NotEqual(FieldCommitment.Compute("clientRef", FieldCommitment.NewSalt(), "C-1"), FieldCommitment.Compute("clientRef", FieldCommitment.NewSalt(), "C-1"));
    }

    [Fact]
    public void Timestamps_RoundTrip_KeepsTicksAndUsesUtc()
    {
        var value = new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.FromHours(2)).AddTicks(9);

        var text = Timestamps.ToText(value);

        Assert.Equal("2026-03-28T23:30:00.0000009Z", text);
        Assert.Equal(value, Timestamps.Parse(text));
        Assert.False(Timestamps.TryParse("2026-03-28T23:30:00Z", out _));
    }

    private static string Hex(string s) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void Encode_LoneSurrogate_ThrowsInsteadOfCollidingWithReplacementCharacter()
    {
        var lone = new Dictionary<string, string> { ["a"] = "x\ud800" };

        Assert.Throws<EncoderFallbackException>(() => CanonicalEvent.Encode(Header, lone, new Dictionary<string, byte[]>()));
        Assert.Throws<EncoderFallbackException>(() => FieldCommitment.Compute("note", new byte[32], "\udc00"));
    }
}

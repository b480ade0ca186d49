using System.Security.Cryptography;
using System.Text;
using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Infrastructure.Tests.Crypto;

public sealed class FieldEnvelopeTests
{
    private const string KatKeyId = "kat-key";

    /// <summary>
    /// AES-256-GCM known answers (Keylen = 256, IVlen = 96, Taglen = 128) from NIST CAVP,
    /// SP 800-38D validation vectors, file gcmEncryptExtIV256.rsp in
    /// https://csrc.nist.gov/CSRC/media/Projects/Cryptographic-Algorithm-Validation-Program/documents/mac/gcmtestvectors.zip
    /// (copied from the public-domain extract vendored in godaddy/hardware-rust-crypto,
    /// tests/data/nist_cavp_aes256_gcm.json), plus McGrew &amp; Viega, "The Galois/Counter Mode of Operation
    /// (GCM)", Appendix B, Test Case 16 (the AES-256 case with a 96-bit IV, AAD and a multi-block plaintext).
    /// Columns: key, IV, PT, AAD, CT, Tag.
    /// </summary>
    public static TheoryData<string, string, string, string, string, string> NistVectors => new()
    {
        // gcmEncryptExtIV256.rsp [PTlen = 128] [AADlen = 128] Count = 0
        {
            "92e11dcdaa866f5ce790fd24501f92509aacf4cb8b1339d50c9c1240935dd08b", "ac93a1a6145299bde902f21a",
            "2d71bcfa914e4ac045b2aa60955fad24", "1e0889016f67601c8ebea4943bc23ad6",
            "8995ae2e6df3dbf96fac7b7137bae67f", "eca5aa77d51d4a0a14d9c51e1da474ab"
        },
        // gcmEncryptExtIV256.rsp [PTlen = 128] [AADlen = 128] Count = 1
        {
            "7da3bccaffb3464178ca7c722379836db50ce0bfb47640b9572163865332e486", "c04fd2e701c3dc62b68738b3",
            "fd671cab1ee21f0df6bb610bf94f0e69", "fec0311013202e4ffdc4204926ae0ddf",
            "6be61b17b7f7d494a7cdf270562f37ba", "5e702a38323fe1160b780d17adad3e96"
        },
        // gcmEncryptExtIV256.rsp [PTlen = 128] [AADlen = 128] Count = 2
        {
            "a359b9584beec189527f8842dda6b6d4c6a5db2f889635715fa3bcd7967c0a71", "8616c4cde11b34a944caba32",
            "33a46b7539d64c6e1bdb91ba221e3007", "e1796fca20cb3d3ab0ade69b2a18891e",
            "b0d316e95f3f3390ba10d0274965c62b", "aeaedcf8a012cc32ef25a62790e9334c"
        },
        // gcmEncryptExtIV256.rsp [PTlen = 128] [AADlen = 128] Count = 3
        {
            "8c83238e7b3b58278200b54940d779d0a0750673aab0bf2f5808dd15dc1a8c49", "70f8f4ebe408f61a35077956",
            "6e57f8572dd5b2247410f0d4c7424186", "e1cbf83924f1b8d1014b97db56c25a15",
            "4a11acb9611251df01f79f16f8201ffb", "9732be4ad0569586753d90fabb06f62c"
        },
        // gcmEncryptExtIV256.rsp [PTlen = 128] [AADlen = 160] Count = 0
        {
            "83688deb4af8007f9b713b47cfa6c73e35ea7a3aa4ecdb414dded03bf7a0fd3a", "0b459724904e010a46901cf3",
            "33d893a2114ce06fc15d55e454cf90c3", "794a14ccd178c8ebfd1379dc704c5e208f9d8424",
            "cc66bee423e3fcd4c0865715e9586696", "0fb291bd3dba94a1dfd8b286cfb97ac5"
        },
        // gcmEncryptExtIV256.rsp [PTlen = 0] [AADlen = 128] Count = 0 (empty plaintext: the tag alone)
        {
            "78dc4e0aaf52d935c3c01eea57428f00ca1fd475f5da86a49c8dd73d68c8e223", "d79cf22d504cc793c3fb6c8a",
            "", "b96baa8c1c75a671bfb2d08d06be5f36",
            "", "3e5d486aa2e30b22e040b85723a06e76"
        },
        // gcmEncryptExtIV256.rsp [PTlen = 0] [AADlen = 0] Count = 0
        {
            "b52c505a37d78eda5dd34f20c22540ea1b58963cf8e5bf8ffa85f9f2492505b4", "516c33929df5a3284ff463d7",
            "", "",
            "", "bdc1ac884d332457a1d2664f168c76f0"
        },
        // McGrew & Viega GCM spec, Test Case 16 (60-byte plaintext: a partial final block)
        {
            "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
            "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
            "76fc6ece0f4e1768cddf8853bb2d551b"
        },
    };

    [Theory]
    [MemberData(nameof(NistVectors))]
    public void Seal_KnownAnswerVector_ProducesVectorCiphertextAndTag(string keyHex, string ivHex, string ptHex, string aadHex, string ctHex, string tagHex)
    {
        // Arrange
        var key = new KeyMaterial(KatKeyId, Convert.FromHexString(keyHex));
        var nonce = Convert.FromHexString(ivHex);
        var headerLength = 2 + KatKeyId.Length;

        // Act
        var envelope = FieldEnvelope.Seal(key, Convert.FromHexString(ptHex), Convert.FromHexString(aadHex), nonce);

        // Assert
        Assert.Equal(FieldEnvelope.FormatVersion, envelope[0]);
        Assert.Equal(nonce, envelope[headerLength..(headerLength + FieldEnvelope.NonceSize)]);
        Assert.Equal(ctHex + tagHex, Convert.ToHexStringLower(envelope[(headerLength + FieldEnvelope.NonceSize)..]));
    }

    [Theory]
    [MemberData(nameof(NistVectors))]
    public void Open_KnownAnswerVector_ReturnsVectorPlaintext(string keyHex, string ivHex, string ptHex, string aadHex, string ctHex, string tagHex)
    {
        // Arrange: build the envelope by hand from the vector, so Open is checked independently of Seal.
        var key = new KeyMaterial(KatKeyId, Convert.FromHexString(keyHex));
        var envelope = new byte[] { FieldEnvelope.FormatVersion, (byte)KatKeyId.Length }
            .Concat(Encoding.ASCII.GetBytes(KatKeyId))
            .Concat(Convert.FromHexString(ivHex))
            .Concat(Convert.FromHexString(ctHex))
            .Concat(Convert.FromHexString(tagHex))
            .ToArray();

        // Act
        var plaintext = FieldEnvelope.Open(key, envelope, Convert.FromHexString(aadHex));

        // Assert
        Assert.Equal(ptHex, Convert.ToHexStringLower(plaintext));
    }

    [Fact]
    public void Open_AnySingleByteFlipped_ThrowsEnvelopeException()
    {
        // Arrange
        var key = NewKey("k1");
        var aad = Aad(key);
        var envelope = FieldEnvelope.Seal(key, "crisis line called at 02:10"u8, aad);

        for (var i = 0; i < envelope.Length; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                var altered = (byte[])envelope.Clone();
                altered[i] ^= mask;

                // Act + Assert
                var error = Record.Exception(() => FieldEnvelope.Open(key, altered, aad));
                Assert.True(error is EnvelopeException, $"byte {i} ^ 0x{mask:x2}: {error?.GetType().Name ?? "opened"}");
            }
        }
    }

    public static TheoryData<string, long, string, string> AlteredAssociatedData => new()
    {
        { "ledger-B", 7, "notes", "k1" },
        { "ledger-A", 8, "notes", "k1" },
        { "ledger-A", 7, "reason", "k1" },
        { "ledger-A", 7, "notes", "k2" },
    };

    [Theory]
    [MemberData(nameof(AlteredAssociatedData))]
    public void Open_DifferentAssociatedData_ThrowsEnvelopeException(string ledgerId, long sequence, string field, string keyId)
    {
        // Arrange
        var key = NewKey("k1");
        var envelope = FieldEnvelope.Seal(key, "moved ciphertext"u8, FieldEnvelope.AssociatedData("ledger-A", 7, "notes", "k1"));

        // Act
        var act = () => FieldEnvelope.Open(key, envelope, FieldEnvelope.AssociatedData(ledgerId, sequence, field, keyId));

        // Assert
        Assert.Throws<EnvelopeException>(act);
    }

    [Fact]
    public void Open_SameAssociatedData_ReturnsPlaintext()
    {
        // Arrange: the positive control for the associated-data cases above.
        var key = NewKey("k1");
        var envelope = FieldEnvelope.Seal(key, "moved ciphertext"u8, FieldEnvelope.AssociatedData("ledger-A", 7, "notes", "k1"));

        // Act
        var plaintext = FieldEnvelope.Open(key, envelope, FieldEnvelope.AssociatedData("ledger-A", 7, "notes", "k1"));

        // Assert
        Assert.Equal("moved ciphertext"u8.ToArray(), plaintext);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(0xFF)]
    public void Open_UnknownVersionByte_ThrowsEnvelopeException(byte version)
    {
        // Arrange
        var key = NewKey("k1");
        var envelope = FieldEnvelope.Seal(key, "text"u8, Aad(key));
        envelope[0] = version;

        // Act
        var act = () => FieldEnvelope.Open(key, envelope, Aad(key));

        // Assert
        Assert.Throws<EnvelopeException>(act);
    }

    [Fact]
    public void Open_TruncatedToAnyLength_ThrowsEnvelopeException()
    {
        // Arrange
        var key = NewKey("k1");
        var envelope = FieldEnvelope.Seal(key, "a field value"u8, Aad(key));

        for (var length = 0; length < envelope.Length; length++)
        {
            var truncated = envelope[..length];

            // Act
            var error = Record.Exception(() => FieldEnvelope.Open(key, truncated, Aad(key)));

            // Assert
            Assert.True(error is EnvelopeException, $"length {length}: {error?.GetType().Name ?? "opened"}");
        }
    }

    [Fact]
    public void Open_AnotherKeyWithSameId_ThrowsEnvelopeException()
    {
        // Arrange
        var key = NewKey("k1");
        var other = NewKey("k1");
        var envelope = FieldEnvelope.Seal(key, "text"u8, Aad(key));

        // Act
        var act = () => FieldEnvelope.Open(other, envelope, Aad(key));

        // Assert
        Assert.Throws<EnvelopeException>(act);
    }

    [Fact]
    public void Open_KeyWithAnotherId_ThrowsEnvelopeException()
    {
        // Arrange
        var key = NewKey("k1");
        var other = new KeyMaterial("k2", key.Bytes);
        var envelope = FieldEnvelope.Seal(key, "text"u8, Aad(key));

        // Act
        var act = () => FieldEnvelope.Open(other, envelope, Aad(key));

        // Assert
        Assert.Throws<EnvelopeException>(act);
    }

    [Fact]
    public void Seal_SamePlaintextTwice_ProducesDifferentEnvelopes()
    {
        // Arrange
        var key = NewKey("k1");

        // Act
        var first = FieldEnvelope.Seal(key, "same text"u8, Aad(key));
        var second = FieldEnvelope.Seal(key, "same text"u8, Aad(key));

        // Assert
        Assert.NotEqual(first, second);
        Assert.Equal(FieldEnvelope.Open(key, first, Aad(key)), FieldEnvelope.Open(key, second, Aad(key)));
    }

    [Fact]
    public void ReadKeyId_SealedEnvelope_ReturnsKeyId()
    {
        // Arrange
        var key = NewKey("0123456789abcdef0123456789abcdef");
        var envelope = FieldEnvelope.Seal(key, "text"u8, Aad(key));

        // Act
        var keyId = FieldEnvelope.ReadKeyId(envelope);

        // Assert
        Assert.Equal(key.KeyId, keyId);
    }

    private static KeyMaterial NewKey(string keyId) => new(keyId, RandomNumberGenerator.GetBytes(FieldEnvelope.KeySize));

    private static byte[] Aad(KeyMaterial key) => FieldEnvelope.AssociatedData("ledger-A", 7, "notes", key.KeyId);
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// The exact bytes a checkpoint signature covers, defined here and in docs/audit.md so an independent
/// verifier can be written from the document:
/// <code>
/// "WACP" | u8 version=1 | str ledgerId | u64 upToSequence | 32 bytes headHash | str signedAt
/// str = u32 byte length | UTF-8 bytes; integers big-endian; signedAt in the ledger's timestamp text form.
/// </code>
/// The signature is ECDSA P-256 with SHA-256, IEEE P1363 (r || s, 64 bytes), base64.
/// A bundle's manifest line is signed the same way over <c>"WAMF" | u8 1 | the line's UTF-8 bytes</c>.
/// </summary>
public static class CheckpointStatement
{
    public const byte Version = 1;
    public const int SignatureSize = 64;

    public static readonly HashAlgorithmName Hash = HashAlgorithmName.SHA256;
    public const DSASignatureFormat SignatureFormat = DSASignatureFormat.IeeeP1363FixedFieldConcatenation;

    public static byte[] Encode(string ledgerId, long upToSequence, string headHashHex, DateTimeOffset signedAt)
    {
        var head = Convert.FromHexString(headHashHex);
        if (head.Length != ChainHash.Size)
        {
            throw new ArgumentException("A head hash is 32 bytes of hex.", nameof(headHashHex));
        }
        var ledger = StrictBytes(ledgerId, nameof(ledgerId));
        var at = StrictBytes(Timestamps.ToText(signedAt), nameof(signedAt));
        var bytes = new byte[4 + 1 + 4 + ledger.Length + 8 + ChainHash.Size + 4 + at.Length];
        var span = bytes.AsSpan();
        "WACP"u8.CopyTo(span);
        span[4] = Version;
        var offset = 5;
        BinaryPrimitives.WriteUInt32BigEndian(span[offset..], (uint)ledger.Length);
        ledger.CopyTo(span[(offset + 4)..]);
        offset += 4 + ledger.Length;
        BinaryPrimitives.WriteUInt64BigEndian(span[offset..], checked((ulong)upToSequence));
        offset += 8;
        head.CopyTo(span[offset..]);
        offset += ChainHash.Size;
        BinaryPrimitives.WriteUInt32BigEndian(span[offset..], (uint)at.Length);
        at.CopyTo(span[(offset + 4)..]);
        return bytes;
    }

    /// <summary>
    /// Strict UTF-8: ill-formed text (a lone surrogate) is refused, never signed as U+FFFD, so two different
    /// ledger ids can never give one statement.
    /// </summary>
    private static byte[] StrictBytes(string text, string parameter)
    {
        try
        {
            return CanonicalEvent.StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException("The text is not well-formed Unicode (it holds a lone surrogate), so it has no UTF-8 form to sign.", parameter);
        }
    }

    /// <summary>What a manifest signature covers: a prefix, so a checkpoint signature can never pass as a manifest's.</summary>
    public static byte[] EncodeManifest(ReadOnlySpan<byte> manifestLine)
    {
        var bytes = new byte[5 + manifestLine.Length];
        "WAMF"u8.CopyTo(bytes);
        bytes[4] = Version;
        manifestLine.CopyTo(bytes.AsSpan(5));
        return bytes;
    }

    public static bool Verify(ECDsa publicKey, ReadOnlySpan<byte> statement, string? signatureBase64)
    {
        var signature = new byte[SignatureSize + 3];
        if (signatureBase64 is null || !Convert.TryFromBase64String(signatureBase64, signature, out var written) || written != SignatureSize)
        {
            return false;
        }
        return publicKey.VerifyData(statement, signature.AsSpan(0, written), Hash, SignatureFormat);
    }

    /// <summary>Reads a PEM public key (SubjectPublicKeyInfo) and checks that it is a P-256 key.</summary>
    public static ECDsa ImportPublicKey(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                throw new CryptographicException("The public key is not a P-256 key.");
            }
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Whether two PEM public keys are the same key (compared by their DER, not their text).</summary>
    public static bool SameKey(string pemA, string pemB)
    {
        using var a = ImportPublicKey(pemA);
        using var b = ImportPublicKey(pemB);
        return a.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(b.ExportSubjectPublicKeyInfo());
    }
}

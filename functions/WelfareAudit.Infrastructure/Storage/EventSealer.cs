using System.Security.Cryptography;
using System.Text;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// Seals an event for storage (commit to and encrypt each sensitive field, link it into the chain) and
/// opens it again (decrypt, and check every value against its commitment).
/// </summary>
public sealed class EventSealer(IKeyRing keys)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task<SealedEvent> SealAsync(EventHeader header, EventFields fields, string prevHashHex, CancellationToken cancellationToken)
    {
        var commitments = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var ciphertexts = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (fields.Sensitive.Count > 0)
        {
            var key = await keys.GetCurrentAsync(KeyPurpose.Data, cancellationToken);
            using var aes = FieldEnvelope.Cipher(key);
            foreach (var (name, value) in fields.Sensitive)
            {
                var salt = FieldCommitment.NewSalt();
                commitments[name] = FieldCommitment.Compute(name, salt, value);
                var plaintext = new byte[salt.Length + Encoding.UTF8.GetByteCount(value)];
                salt.CopyTo(plaintext, 0);
                Encoding.UTF8.GetBytes(value, plaintext.AsSpan(salt.Length));
                ciphertexts[name] = FieldEnvelope.Seal(key, aes, plaintext, FieldEnvelope.AssociatedData(header.LedgerId, header.Sequence, name, key.KeyId));
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }

        var canonical = CanonicalEvent.Encode(header, fields.Clear, commitments);
        var hash = ChainHash.Next(Convert.FromHexString(prevHashHex), canonical);
        return new SealedEvent(header, new SortedDictionary<string, string>(fields.Clear, StringComparer.Ordinal), commitments, ciphertexts,
            prevHashHex, ChainHash.ToHex(hash));
    }

    /// <summary>The hash the event's content and link should have.</summary>
    public static string ComputeHash(SealedEvent e) =>
        ChainHash.ToHex(ChainHash.Next(Convert.FromHexString(e.PrevHash), e.Canonical()));

    /// <summary>
    /// Decrypts every sensitive field. Throws <see cref="EnvelopeException"/> when a ciphertext does not
    /// authenticate for this row and field, and <see cref="CommitmentMismatchException"/> when a value
    /// does not match the commitment the chain holds.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DisclosedField>> OpenAsync(SealedEvent e, CancellationToken cancellationToken)
    {
        if (!e.Commitments.Keys.SequenceEqual(e.Ciphertexts.Keys, StringComparer.Ordinal))
        {
            throw new CommitmentMismatchException("The encrypted fields and the committed fields differ.");
        }
        var result = new SortedDictionary<string, DisclosedField>(StringComparer.Ordinal);
        foreach (var (name, envelope) in e.Ciphertexts)
        {
            var field = await OpenFieldAsync(envelope, e.Header.LedgerId, e.Header.Sequence, name, cancellationToken);
            if (!CryptographicOperations.FixedTimeEquals(FieldCommitment.Compute(name, field.Salt, field.Value), e.Commitments[name]))
            {
                throw new CommitmentMismatchException($"Field '{name}' does not match its commitment.");
            }
            result[name] = field;
        }
        return result;
    }

    /// <summary>
    /// Decrypts one field's envelope as field <paramref name="name"/> of the event at <paramref name="sequence"/> (its
    /// associated data), without its commitment: <see cref="EnvelopeException"/> when it does not authenticate as that.
    /// </summary>
    public async Task<DisclosedField> OpenFieldAsync(byte[] envelope, string ledgerId, long sequence, string name, CancellationToken cancellationToken)
    {
        var keyId = FieldEnvelope.ReadKeyId(envelope);
        var key = await keys.GetAsync(KeyPurpose.Data, keyId, cancellationToken);
        var plaintext = FieldEnvelope.Open(key, envelope, FieldEnvelope.AssociatedData(ledgerId, sequence, name, keyId));
        if (plaintext.Length < FieldCommitment.SaltSize)
        {
            throw new CommitmentMismatchException($"Field '{name}' is too short to hold its salt.");
        }
        try
        {
            return new DisclosedField(StrictUtf8.GetString(plaintext, FieldCommitment.SaltSize, plaintext.Length - FieldCommitment.SaltSize), plaintext[..FieldCommitment.SaltSize]);
        }
        catch (DecoderFallbackException)
        {
            throw new CommitmentMismatchException($"Field '{name}' is not valid UTF-8.");
        }
    }

    /// <summary>Whether <paramref name="envelope"/> authenticates as field <paramref name="field"/> of the given row.</summary>
    public async Task<bool> AuthenticatesAsAsync(byte[] envelope, string ledgerId, long sequence, string field, CancellationToken cancellationToken)
    {
        try
        {
            var keyId = FieldEnvelope.ReadKeyId(envelope);
            var key = await keys.GetAsync(KeyPurpose.Data, keyId, cancellationToken);
            FieldEnvelope.Open(key, envelope, FieldEnvelope.AssociatedData(ledgerId, sequence, field, keyId));
            return true;
        }
        catch (Exception e) when (e is EnvelopeException or UnknownKeyIdException)
        {
            return false;
        }
    }
}

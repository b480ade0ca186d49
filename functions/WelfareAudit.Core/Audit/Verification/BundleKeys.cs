using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>
/// Stage 3, keys: the keys the bundle carries, checked against the key the verifier was given (pinned, obtained
/// apart from the file); the manifest's signature (line 2); each ledger's signed head; and the signature of every
/// <c>Checkpoint</c> event met in a chain.
/// </summary>
internal sealed class BundleKeys : IDisposable
{
    private readonly Dictionary<string, ECDsa> _keys = new(StringComparer.Ordinal);
    private ECDsa? _pinned;

    public static BundleKeys Import(BundleManifest manifest, string? pinnedPem)
    {
        var keys = new BundleKeys();
        try
        {
            foreach (var (id, pem) in manifest.SigningKeys)
            {
                keys._keys.Add(id, ImportOrNull(pem) ?? throw manifest.At.Malformed($"The manifest's signing key '{id}' is not a P-256 public key."));
            }
            if (pinnedPem is not null)
            {
                keys._pinned = ImportOrNull(pinnedPem)
                    ?? throw BundleProblems.Fail(BundleProblemKind.WrongKey, null, null, "The public key given to the verifier is not a P-256 public key in PEM.");
            }
            return keys;
        }
        catch
        {
            keys.Dispose();
            throw;
        }
    }

    public bool Pinned => _pinned is not null;

    /// <summary>Line 2: the signature over <c>"WAMF" | 1 | the manifest line's bytes</c>, by the key the manifest names.</summary>
    public void AuthenticateManifest(BundleManifest manifest, BundleLine signatureLine)
    {
        var s = BundleJsonObject.Of(signatureLine.Root, signatureLine.At, "The manifest's signature line", ["kind", "keyId", "signature"]);
        if (s.String("kind") != BundleFormat.ManifestSignature)
        {
            throw signatureLine.At.Malformed("The second line is not the manifest's signature.");
        }
        if (s.String("keyId") != manifest.ManifestKeyId)
        {
            throw BundleProblems.Fail(BundleProblemKind.ManifestMismatch, null, null, "The manifest's signature names another key than the manifest does.");
        }
        var key = KeyFor(manifest.ManifestKeyId, null, null, "the manifest");
        CheckPinned(key, manifest.ManifestKeyId, "the manifest");
        if (!CheckpointStatement.Verify(key, CheckpointStatement.EncodeManifest(Encoding.UTF8.GetBytes(manifest.LineText)), s.String("signature")))
        {
            throw BundleProblems.Fail(BundleProblemKind.BadSignature, null, null, "The manifest's signature does not verify: the manifest was altered after it was signed.");
        }
    }

    /// <summary>A ledger's head, as the manifest's checkpoint signs it.</summary>
    public void VerifyHead(BundlePart part)
    {
        var key = KeyFor(part.KeyId, part.LedgerId, null, "the ledger's checkpoint");
        CheckPinned(key, part.KeyId, $"the checkpoint of ledger {part.LedgerId}");
        if (!BundleEvent.IsHash(part.HeadHash) || !CheckpointStatement.Verify(key, CheckpointStatement.Encode(part.LedgerId, part.UpTo, part.HeadHash, part.SignedAt), part.Signature))
        {
            throw BundleProblems.Fail(BundleProblemKind.BadSignature, part.LedgerId, part.UpTo, "The ledger's checkpoint signature does not verify.");
        }
    }

    /// <summary>A <c>Checkpoint</c> event's clear fields sign (ledger, upToSequence, headHash, signedAt) with a key the bundle carries.</summary>
    public void VerifyCheckpointEvent(EventHeader header, IReadOnlyDictionary<string, string> clear)
    {
        var keyId = clear.GetValueOrDefault("signingKeyId")
            ?? throw BundleProblems.Fail(BundleProblemKind.Malformed, header.LedgerId, header.Sequence, "A checkpoint event names no key.");
        var key = KeyFor(keyId, header.LedgerId, header.Sequence, "a checkpoint event");
        var ok = long.TryParse(clear.GetValueOrDefault("upToSequence"), NumberStyles.None, CultureInfo.InvariantCulture, out var upTo) &&
            BundleEvent.IsHash(clear.GetValueOrDefault("headHash")) &&
            Timestamps.TryParse(clear.GetValueOrDefault("signedAt"), out var signedAt) &&
            CheckpointStatement.Verify(key, CheckpointStatement.Encode(header.LedgerId, upTo, clear["headHash"], signedAt), clear.GetValueOrDefault("signature"));
        if (!ok)
        {
            throw BundleProblems.Fail(BundleProblemKind.BadSignature, header.LedgerId, header.Sequence, "The signature of the checkpoint event does not verify.");
        }
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
        _pinned?.Dispose();
    }

    private ECDsa KeyFor(string keyId, string? ledgerId, long? sequence, string what) =>
        _keys.TryGetValue(keyId, out var key) ? key
            : throw BundleProblems.Fail(BundleProblemKind.BadSignature, ledgerId, sequence, $"{char.ToUpperInvariant(what[0])}{what[1..]} is signed by key '{keyId}', which the bundle does not carry.");

    private void CheckPinned(ECDsa key, string keyId, string what)
    {
        if (_pinned is not null && !_pinned.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            throw BundleProblems.Fail(BundleProblemKind.WrongKey, null, null, $"{char.ToUpperInvariant(what[0])}{what[1..]} is signed with key '{keyId}', which is not the public key given to the verifier.");
        }
    }

    private static ECDsa? ImportOrNull(string pem)
    {
        try
        {
            return CheckpointStatement.ImportPublicKey(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null;
        }
    }
}

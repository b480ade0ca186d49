using System.Security.Cryptography;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>
/// Key history (docs/ledger-format.md §17), fed each event after <see cref="ChainStage"/> accepted it. Per ledger part:
/// the key of its first checkpoint (its first event when anchored on a checkpoint; else its signed head's key) is the
/// part's initial key; every other key that signs a checkpoint of the part, its head, or the manifest must be announced
/// by a <c>KeyRotated</c> event of purpose <c>signing</c> in the part, up to its head, whose public key is the one the
/// bundle carries under that id. Otherwise: <c>UnannouncedKey</c>. The signatures themselves are <see cref="BundleKeys"/>'.
/// </summary>
internal sealed class KeyHistoryStage(BundleManifest manifest)
{
    private readonly Dictionary<string, long> _announced = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _used = new(StringComparer.Ordinal);
    private int _index;
    private string? _initial;

    public void Accept(BundleEvent e)
    {
        var part = manifest.Parts[_index];
        if (e.Header.Type == EventTypes.KeyRotated && e.Clear.GetValueOrDefault("purpose") == KeyRotated.Signing)
        {
            Announce(e);
        }
        else if (e.Header.Type == EventTypes.Checkpoint && e.Clear.GetValueOrDefault("signingKeyId") is { } keyId)
        {
            Use(keyId, e.Header.Sequence);
        }
        if (e.Header.Sequence == part.Last)
        {
            Close(part);
        }
    }

    private void Use(string keyId, long sequence)
    {
        _initial ??= keyId;
        _used.TryAdd(keyId, sequence);
    }

    private void Announce(BundleEvent e)
    {
        var (keyId, publicKey) = (e.Clear.GetValueOrDefault("keyId"), e.Clear.GetValueOrDefault("publicKey"));
        var der = new byte[256];
        if (keyId is null || publicKey is null || !Convert.TryFromBase64String(publicKey, der, out var length) || !IsP256(der.AsSpan(0, length)))
        {
            throw e.At.Malformed("A signing key's KeyRotated event does not carry its key id and P-256 public key (base64 of SubjectPublicKeyInfo).");
        }
        var carried = manifest.SigningKeys.FirstOrDefault(k => k.KeyId == keyId).PublicKeyPem;
        if (carried is not null && !SameKey(carried, der.AsSpan(0, length)))
        {
            throw e.At.Fail(BundleProblemKind.UnannouncedKey, $"The bundle carries another public key under the id '{keyId}' than the chain announced at sequence {e.Header.Sequence}.");
        }
        _announced.TryAdd(keyId, e.Header.Sequence);
    }

    private void Close(BundlePart part)
    {
        Use(part.KeyId, part.UpTo);
        foreach (var (keyId, sequence) in _used.OrderBy(u => u.Value))
        {
            if (!Accepted(keyId))
            {
                throw BundleProblems.Fail(BundleProblemKind.UnannouncedKey, part.LedgerId, sequence,
                    $"The checkpoint over sequence {sequence} or before is signed by key '{keyId}', which the ledger's chain never announced (no KeyRotated event of purpose signing names it, and the part's first key is '{_initial}').");
            }
        }
        if (!Accepted(manifest.ManifestKeyId))
        {
            throw BundleProblems.Fail(BundleProblemKind.UnannouncedKey, part.LedgerId, null,
                $"The manifest is signed by key '{manifest.ManifestKeyId}', which the chain of ledger {part.LedgerId} never announced (its first key is '{_initial}').");
        }
        _index++;
        _initial = null;
        _announced.Clear();
        _used.Clear();
    }

    private bool Accepted(string keyId) => keyId == _initial || _announced.ContainsKey(keyId);

    private static bool IsP256(ReadOnlySpan<byte> spki)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            return read == spki.Length && key.KeySize == 256;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool SameKey(string pem, ReadOnlySpan<byte> spki)
    {
        try
        {
            using var key = CheckpointStatement.ImportPublicKey(pem);
            return key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(spki);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return false;
        }
    }
}

using System.Security.Cryptography;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Cli;

/// <summary>
/// After <c>keys rotate</c> changed Key Vault: a <see cref="KeyRotated"/> event per rotated purpose appended to every
/// ledger of the table, a signing key's with its public key (docs/ledger-format.md §17). The CLI writes the table
/// directly (the app's table, with the operator's Entra credential and the Storage Table Data Contributor role): there
/// is no API route for it, and the operator who rotates holds the vault anyway. Ledgers are found as the app finds them
/// (any row), so none is skipped. A ledger that cannot be appended to is named, and the others are still done.
/// </summary>
internal static class KeyRotationAnnouncement
{
    public const string Actor = "system:key-rotation";

    public static KeyRotated EventFor(KeyPurpose purpose, KeyMaterial key) => purpose switch
    {
        KeyPurpose.Data => new KeyRotated(KeyRotated.Data, key.KeyId),
        KeyPurpose.Index => new KeyRotated(KeyRotated.Index, key.KeyId),
        KeyPurpose.Signing => new KeyRotated(KeyRotated.Signing, key.KeyId, PublicKeyOf(key)),
        _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
    };

    /// <summary>Appends every event to every ledger; returns the ledgers that failed (each named on stderr).</summary>
    public static async Task<(int Ledgers, List<string> Failed)> AppendAsync(ILedger ledger, IReadOnlyList<KeyRotated> events, TextWriter stderr, CancellationToken ct)
    {
        var (count, failed) = (0, new List<string>());
        await foreach (var id in ledger.ListLedgersAsync(ct))
        {
            count++;
            try
            {
                foreach (var e in events)
                {
                    await ledger.AppendAsync(id, Actor, null, _ => e, ct);
                }
            }
            catch (Exception e) when (e is LedgerUnavailableException or LedgerIntegrityException or Azure.RequestFailedException)
            {
                failed.Add(id);
                stderr.WriteLine($"welfare-audit: ledger {TerminalText.Escape(id)} does not record the rotation: {TerminalText.Escape(e.Message)}");
            }
        }
        return (count, failed);
    }

    /// <summary>The public half of a signing key (its 32 bytes are the P-256 private scalar): base64 of the SubjectPublicKeyInfo DER.</summary>
    public static string PublicKeyOf(KeyMaterial key)
    {
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = key.Bytes.ToArray() });
        return Convert.ToBase64String(ecdsa.ExportSubjectPublicKeyInfo());
    }
}

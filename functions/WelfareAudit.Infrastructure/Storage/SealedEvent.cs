using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// An event as stored: clear header and fields, per-field commitments, per-field ciphertext envelopes,
/// and the chain link. See docs/ledger-format.md for the row layout.
/// </summary>
public sealed record SealedEvent(
    EventHeader Header,
    IReadOnlyDictionary<string, string> Clear,
    IReadOnlyDictionary<string, byte[]> Commitments,
    IReadOnlyDictionary<string, byte[]> Ciphertexts,
    string PrevHash,
    string Hash)
{
    public const int Format = 1;

    public byte[] Canonical() => CanonicalEvent.Encode(Header, Clear, Commitments);
}

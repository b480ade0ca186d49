namespace WelfareAudit.Core.Witness;

/// <summary>
/// One ledger's cosignature in a cosignature file (docs/ledger-format.md §15.5): the checkpoint note's
/// parts and the note signature. The same six values become a <see cref="Ledger.WitnessCosigned"/> event.
/// </summary>
public sealed class CosignatureEntry
{
    public string? LedgerId { get; set; }

    public string? Origin { get; set; }

    public long? TreeSize { get; set; }

    public string? RootHash { get; set; }

    public string? HeadHash { get; set; }

    public string? Signature { get; set; }
}

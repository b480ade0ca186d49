using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>An event line, read strictly (docs/ledger-format.md §13): nothing in it is checked against anything else yet.</summary>
internal sealed record BundleEvent(
    BundleLineContext At,
    EventHeader Header,
    SortedDictionary<string, string> Clear,
    bool InRange,
    IReadOnlyList<DisclosedField> Disclosed,
    IReadOnlyList<WithheldField> Withheld,
    SortedDictionary<string, byte[]> Commitments,
    string PrevHash,
    string Hash)
{
    private static readonly string[] Members =
        ["kind", "ledgerId", "sequence", "type", "recordedAt", "actor", "inRange", "clear", "disclosed", "withheld", "prevHash", "hash"];

    public static BundleEvent Read(BundleLine line)
    {
        var e = BundleJsonObject.Of(line.Root, line.At, "The event", Members);
        var ledgerId = e.String("ledgerId");
        var sequence = e.Integer("sequence");
        var at = line.At with { LedgerId = ledgerId, Sequence = sequence };
        var header = new EventHeader(ledgerId, sequence, e.String("type"), e.Time("recordedAt"), e.String("actor"));
        var clear = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in e.Map("clear"))
        {
            clear[name] = BundleJsonObject.Text(value, at, $"Clear field '{name}'");
        }
        var inRange = e.Boolean("inRange");

        var commitments = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var disclosed = new List<DisclosedField>();
        foreach (var (name, value) in e.Map("disclosed"))
        {
            var d = BundleJsonObject.Of(value, at, $"Disclosed field '{name}'", ["value", "salt"]);
            var salt = d.Base64("salt");
            if (salt.Length != FieldCommitment.SaltSize)
            {
                throw at.Malformed($"The salt of field '{name}' is not {FieldCommitment.SaltSize} bytes.");
            }
            var field = new DisclosedField(name, d.String("value"), FieldCommitment.Compute(name, salt, d.String("value")));
            commitments[name] = field.Commitment;
            disclosed.Add(field);
        }
        var withheld = new List<WithheldField>();
        foreach (var (name, value) in e.Map("withheld"))
        {
            var w = BundleJsonObject.Of(value, at, $"Withheld field '{name}'", ["commitment"], ["pseudonym"]);
            var field = new WithheldField(name, w.Base64("commitment"), w.Has("pseudonym") ? w.String("pseudonym") : null);
            if (field.Commitment.Length != FieldCommitment.Size || !commitments.TryAdd(name, field.Commitment))
            {
                throw at.Malformed($"Field '{name}' is withheld with a bad commitment, or both withheld and disclosed.");
            }
            if (field.Pseudonym is not null && !IsPseudonym(field.Pseudonym))
            {
                throw at.Malformed("A pseudonym is not 'C-' and 10 upper-case hex digits.");
            }
            withheld.Add(field);
        }

        var prevHash = e.String("prevHash");
        var hash = e.String("hash");
        if (!IsHash(prevHash) || !IsHash(hash))
        {
            throw at.Malformed("A hash is not 64 lower-case hex digits.");
        }
        return new BundleEvent(at, header, clear, inRange, disclosed, withheld, commitments, prevHash, hash);
    }

    /// <summary>The event as the export's own rules see it (which field is a client code).</summary>
    public AuditEventRecord Record => new(Header, Clear, Commitments, null, PrevHash, Hash);

    public static bool IsHash(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigitLower);

    private static bool IsPseudonym(string text) =>
        text is { Length: 12 } && text.StartsWith("C-", StringComparison.Ordinal) && text[2..].All(c => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F');
}

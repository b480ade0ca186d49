using System.Globalization;

namespace WelfareAudit.Core.Audit;

public sealed record BundleProblem(BundleProblemKind Kind, string? LedgerId, long? Sequence, string Detail)
{
    /// <summary>The line of the file (1 is the manifest) where the problem was found, when it is found at one.</summary>
    public long? Line { get; init; }

    /// <summary>For the anchor findings (<see cref="BundleProblemKind.Fork"/> and the others): the anchored checkpoint's blob name.</summary>
    public string? Anchor { get; init; }

    public override string ToString() =>
        $"{Kind}{(LedgerId is null ? "" : $" in ledger {LedgerId}")}{(Sequence is null ? "" : $" at sequence {Sequence.Value.ToString(CultureInfo.InvariantCulture)}")}" +
        $"{(Line is null ? "" : $" (line {Line.Value.ToString(CultureInfo.InvariantCulture)})")}: {Detail}";
}

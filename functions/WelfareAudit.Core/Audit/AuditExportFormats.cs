using System.Diagnostics.CodeAnalysis;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Core.Audit;

/// <summary>The export formats registered in DI, by name: what the <c>format</c> parameter accepts.</summary>
public sealed class AuditExportFormats
{
    private readonly Dictionary<string, IAuditExportFormat> _byName = new(StringComparer.Ordinal);

    public AuditExportFormats(IEnumerable<IAuditExportFormat> formats)
    {
        foreach (var format in formats)
        {
            if (format.Name.Length == 0 || !format.Name.All(char.IsAsciiLetterLower))
            {
                throw new ArgumentException($"An export format's name must be lower-case ASCII letters: '{format.Name}' ({format.GetType().Name}).", nameof(formats));
            }
            if (!_byName.TryAdd(format.Name, format))
            {
                throw new ArgumentException($"Two export formats are named '{format.Name}'.", nameof(formats));
            }
        }
        Names = [.. _byName.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>The names, in ordinal order.</summary>
    public IReadOnlyList<string> Names { get; }

    public bool TryGet(string name, [NotNullWhen(true)] out IAuditExportFormat? format) => _byName.TryGetValue(name, out format);

    /// <summary>The format named <paramref name="name"/>; an unknown name is a bad <c>format</c> parameter.</summary>
    public IAuditExportFormat Get(string name) =>
        _byName.TryGetValue(name, out var format) ? format : throw ValidationFailedException.For("format", UnknownName);

    /// <summary>"is required: bundle, csv, fhir or html".</summary>
    public string Required => Names.Count < 2 ? "is required: " + string.Join("", Names) : $"is required: {string.Join(", ", Names.SkipLast(1))} or {Names[^1]}";

    /// <summary>"must be one of: bundle, csv, fhir, html".</summary>
    public string UnknownName => "must be one of: " + string.Join(", ", Names);
}

using System.Text.Json;

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>One line of the bundle: its number, its text (the manifest's is signed as it is) and its JSON.</summary>
internal sealed class BundleLine(long number, string text, JsonDocument document) : IDisposable
{
    public long Number { get; } = number;

    public string Text { get; } = text;

    public JsonElement Root => document.RootElement;

    public BundleLineContext At => new(Number);

    /// <summary>The line's <c>kind</c>: a line is a JSON object, and the kind says which members it must have.</summary>
    public string Kind() =>
        Root.ValueKind == JsonValueKind.Object && Root.TryGetProperty("kind", out var kind)
            ? BundleJsonObject.Text(kind, At, "'kind'")
            : throw At.Malformed("The line is not a JSON object with a 'kind'.");

    public void Dispose() => document.Dispose();
}

using System.Globalization;
using System.Text;

namespace WelfareAudit.Cli;

/// <summary>
/// Makes text that came from outside the CLI (a bundle, a file, Key Vault, an exception message) safe to print
/// on a terminal. A bundle is hostile input: an ESC sequence, a carriage return or a BiDi override in a ledger
/// id could repaint the verdict line. Every code point that a terminal may act on or that changes how text
/// around it is shown becomes a visible <c>\u{hex}</c>: controls (C0, DEL, C1), format characters (BiDi
/// embeddings, overrides and isolates, U+200E/F, U+061C, zero-width characters, U+FEFF), line and paragraph
/// separators, private-use and unassigned code points, and lone surrogates. A backslash becomes <c>\\</c>, so
/// an escape can never be faked by the text itself.
/// </summary>
public static class TerminalText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var codePoint = char.ConvertToUtf32(c, text[i + 1]);
                if (IsUnsafe(CharUnicodeInfo.GetUnicodeCategory(codePoint)))
                {
                    Append(builder, codePoint);
                }
                else
                {
                    builder.Append(c).Append(text[i + 1]);
                }
                i++;
            }
            else if (c == '\\')
            {
                builder.Append(@"\\");
            }
            else if (char.IsSurrogate(c) || IsUnsafe(CharUnicodeInfo.GetUnicodeCategory(c)))
            {
                Append(builder, c);
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static bool IsUnsafe(UnicodeCategory category) => category is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate;

    private static void Append(StringBuilder builder, int codePoint) =>
        builder.Append(@"\u{").Append(codePoint.ToString("x", CultureInfo.InvariantCulture)).Append('}');
}

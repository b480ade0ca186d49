using System.Globalization;
using System.Text;

namespace WelfareAudit.Core.Validation;

/// <summary>Rules for free text that ends up encrypted in the ledger.</summary>
public static class TextRules
{
    /// <summary>
    /// Checks a required or optional text field: not blank when required, within <paramref name="maxLength"/>
    /// UTF-16 units, and free of control characters (tab and line breaks are allowed when multiline).
    /// Returns the trimmed value, or null when absent.
    /// </summary>
    public static string? Check(ValidationErrors errors, string field, string? value, int maxLength, bool required, bool multiline)
    {
        if (value is null || value.Trim().Length == 0)
        {
            if (required)
            {
                errors.Add(field, "is required");
            }
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            errors.Add(field, $"must be at most {maxLength} characters");
            return null;
        }

        foreach (var c in trimmed)
        {
            if (char.IsControl(c) && !(multiline && (c is '\n' or '\r' or '\t')))
            {
                errors.Add(field, "must not contain control characters");
                return null;
            }
        }

        if (!IsWellFormedUtf16(trimmed))
        {
            errors.Add(field, "must be valid Unicode text");
            return null;
        }

        // U+2028 and U+2029 are line breaks too, though not control characters.
        if (!multiline && trimmed.AsSpan().IndexOfAny('\u2028', '\u2029') >= 0)
        {
            errors.Add(field, "must be a single line");
            return null;
        }

        return trimmed;
    }

    /// <summary>
    /// Checks a code that identifies something (the client code): single-line text as <see cref="Check"/>,
    /// and also free of invisible format characters (Unicode category Cf: zero-width spaces and joiners,
    /// bidirectional marks, embeddings, overrides and isolates, the BOM, soft hyphens, tag characters).
    /// Such a character makes two codes that look the same differ (splitting one client's searches in
    /// two groups) or makes a code display as another one. Free text keeps them: RTL marks and joiners
    /// are needed to write some languages.
    /// </summary>
    public static string? CheckCode(ValidationErrors errors, string field, string? value, int maxLength, bool required)
    {
        var checkedValue = Check(errors, field, value, maxLength, required, multiline: false);
        if (checkedValue is null)
        {
            return null;
        }
        foreach (var rune in checkedValue.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
            {
                errors.Add(field, "must not contain invisible or direction-changing characters (zero-width, bidirectional controls)");
                return null;
            }
        }
        return checkedValue;
    }

    private static bool IsWellFormedUtf16(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
                {
                    return false;
                }
                i++;
            }
            else if (char.IsLowSurrogate(s[i]))
            {
                return false;
            }
        }
        return true;
    }
}

using System.Buffers;
using System.Text;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// Makes a CSV field safe to open in a spreadsheet in any locale (CSV injection). A spreadsheet splits a line
/// at its own list separator — a comma, a semicolon (most of Europe), a tab, a pipe — and some readers
/// ignore or misread double quotes, so any piece of a field that follows one of those characters can become a
/// cell of its own. A cell whose text starts with <c>= + - @</c> (or their full-width forms) may run as a
/// formula; one starting with a tab or a carriage return may too, once the reader drops that character.
/// <see cref="Neutralise"/> puts an apostrophe before that first character — in the field and in every piece
/// after a separator — after the spaces and double quotes a reader would strip first. The rest of the text is
/// unchanged, so a reader sees what was logged, with an apostrophe before each would-be formula.
/// </summary>
public static class SpreadsheetText
{
    /// <summary>Where some spreadsheet or locale starts a new cell or row: , ; tab | CR LF and the full-width and Arabic comma, semicolon and bar.</summary>
    public const string Separators = ",;\t|\r\n\uFF0C\uFF1B\uFF5C\u060C\u061B";

    /// <summary>What makes a cell a formula when its text starts with it: = + - @, their full-width forms, tab, CR.</summary>
    public const string FormulaStarts = "=+-@\uFF1D\uFF0B\uFF0D\uFF20\t\r";

    /// <summary>Put before a formula start: every spreadsheet shows a cell that starts with it as text.</summary>
    public const char Guard = '\'';

    private static readonly SearchValues<char> SeparatorSet = SearchValues.Create(Separators);

    private static readonly SearchValues<char> FormulaStartSet = SearchValues.Create(FormulaStarts);

    public static string Neutralise(string text)
    {
        StringBuilder? result = null;
        var copied = 0;
        var atPieceStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (atPieceStart && FormulaStartSet.Contains(c))
            {
                result ??= new StringBuilder(text.Length + 8);
                result.Append(text, copied, i - copied).Append(Guard);
                copied = i;
                atPieceStart = false;
            }
            else if (atPieceStart && !IsStripped(c))
            {
                atPieceStart = false;
            }
            if (SeparatorSet.Contains(c))
            {
                atPieceStart = true;
            }
        }
        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>What a reader may drop before a cell's first character: quotes, and white space that is neither a separator nor a formula start.</summary>
    private static bool IsStripped(char c) => c == '"' || (char.IsWhiteSpace(c) && !SeparatorSet.Contains(c));
}

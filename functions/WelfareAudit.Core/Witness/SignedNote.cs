using System.Buffers.Binary;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// A C2SP signed note: a text ending in a newline, a blank line, then one or more signature lines. The
/// text is what the signatures cover (its final newline included, the blank line not).
/// </summary>
public sealed record SignedNote(string Text, IReadOnlyList<NoteSignature> Signatures)
{
    /// <summary>The most signature lines read (signed-note: accept at least 16).</summary>
    public const int MaxSignatures = 100;

    public override string ToString() => Text + "\n" + string.Concat(Signatures.Select(s => s.ToLine()));

    /// <summary>Splits a note into its text and signatures; null (with the reason) when it is not a note.</summary>
    public static SignedNote? TryParse(string note, out string? error)
    {
        error = null;
        if (note.Any(c => c < ' ' && c != '\n'))
        {
            error = "a note holds no control character other than newline";
            return null;
        }
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !note.EndsWith('\n'))
        {
            error = "a note is a text, a blank line and signature lines, each ending in a newline";
            return null;
        }
        var text = note[..(split + 1)];
        var lines = note[(split + 2)..^1].Split('\n');
        if (lines.Length > MaxSignatures)
        {
            error = "too many signatures";
            return null;
        }
        var signatures = new List<NoteSignature>();
        foreach (var line in lines)
        {
            var space = line.StartsWith(NoteSignature.Dash, StringComparison.Ordinal) ? line.IndexOf(' ', NoteSignature.Dash.Length) : -1;
            if (space < 0)
            {
                error = "a signature line is an em dash, a space, a key name, a space and base64";
                return null;
            }
            var name = line[NoteSignature.Dash.Length..space];
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(line[(space + 1)..]);
            }
            catch (FormatException)
            {
                error = "a signature is not base64";
                return null;
            }
            if (!NoteVerifierKey.IsValidName(name) || bytes.Length < 5)
            {
                error = "a signature line has a bad key name or a signature shorter than 5 bytes";
                return null;
            }
            signatures.Add(new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(bytes), bytes[4..]));
        }
        return new SignedNote(text, signatures);
    }
}

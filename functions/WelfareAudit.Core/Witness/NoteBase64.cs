namespace WelfareAudit.Core.Witness;

/// <summary>Standard base64 (RFC 4648 section 4), as signed notes and checkpoints use it; null instead of an exception.</summary>
internal static class NoteBase64
{
    public static byte[]? TryDecode(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

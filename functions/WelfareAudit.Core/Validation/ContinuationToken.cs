using System.Globalization;
using System.Text;

namespace WelfareAudit.Core.Validation;

/// <summary>
/// The text form of a continuation token: base64url (no padding) of a short ASCII position. The position is made of
/// ids and times only, never client data, since the token travels in a URL; whoever reads a token back checks every
/// part of it, so a forged one can only name a position the caller could have reached anyway.
/// </summary>
public static class ContinuationToken
{
    public const int MaxLength = 256;

    public static string Encode(string position) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(position)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The position a token holds, or null when the text is not a token this encoding could have written.</summary>
    public static string? Decode(string token)
    {
        if (token.Length is 0 or > MaxLength || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || bytes.AsSpan(0, written).ContainsAnyExceptInRange((byte)' ', (byte)'~'))
        {
            return null;
        }
        return Encoding.ASCII.GetString(bytes, 0, written);
    }

    /// <summary>
    /// The paging parameters of a list: <c>pageSize</c> (1 to <paramref name="maxSize"/>, <paramref name="defaultSize"/> when
    /// absent) and <c>continuation</c> (a token <paramref name="parse"/> reads back, null when absent); each bad one is named in
    /// <paramref name="errors"/>.
    /// </summary>
    public static (int Size, T? After) ReadPaging<T>(ValidationErrors errors, string? pageSize, string? continuation, int defaultSize, int maxSize,
        Func<string, T?> parse, string list) where T : struct
    {
        var size = defaultSize;
        if (pageSize is not null &&
            (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > maxSize))
        {
            errors.Add("pageSize", $"must be a whole number from 1 to {maxSize}");
        }
        T? after = continuation is null ? null : parse(continuation);
        if (continuation is not null && after is null)
        {
            errors.Add("continuation", $"is not a continuation token of this {list} (use the \"next\" value of the previous page)");
        }
        return (size, after);
    }
}

using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// The origin line of a ledger's checkpoint note: <c>{practice}/welfare-audit/{ledgerId}</c>. The practice
/// part is the name the witness gives the practice (a schema-less URL such as <c>clinic.example</c>, as
/// tlog-checkpoint recommends); the ledger id follows the last <c>/welfare-audit/</c>.
/// </summary>
public static class WitnessOrigin
{
    public const string Marker = "/welfare-audit/";

    public static string For(string practice, string ledgerId) => practice + Marker + ledgerId;

    /// <summary>A practice name: 1-200 characters of ASCII letters, digits and <c>. - _ / :</c>.</summary>
    public static bool IsValidPractice(string practice) =>
        practice.Length is > 0 and <= 200 && practice.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/' or ':');

    public static bool IsValid(string origin) => TryLedgerId(origin) is not null;

    /// <summary>The ledger an origin names; null when the origin is not of this form.</summary>
    public static string? TryLedgerId(string origin)
    {
        var at = origin.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at <= 0)
        {
            return null;
        }
        var practice = origin[..at];
        var ledgerId = origin[(at + Marker.Length)..];
        return IsValidPractice(practice) && LedgerIds.IsValid(ledgerId) ? ledgerId : null;
    }
}

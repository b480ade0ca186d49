using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Http.Identity;

/// <summary>
/// The App Service Authentication principal from the <c>X-MS-CLIENT-PRINCIPAL</c> header: base64 of
/// <c>{auth_typ, claims: [{typ, val}], name_typ, role_typ}</c>. The isolated worker does not turn it
/// into a ClaimsPrincipal, so we decode it here.
/// </summary>
public static class ClientPrincipal
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";
    public const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    public const int MaxHeaderLength = 16 * 1024;

    private static readonly JsonSerializerOptions Json = new() { MaxDepth = 8 };

    /// <summary>Decodes the header; null when it is malformed, lacks an object id, or the id is unusable as a ledger id.</summary>
    public static Caller? TryParse(string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Length > MaxHeaderLength)
        {
            return null;
        }
        try
        {
            var principal = JsonSerializer.Deserialize<PrincipalJson>(Convert.FromBase64String(header), Json);
            if (principal?.Claims is null)
            {
                return null;
            }
            var roleType = string.IsNullOrEmpty(principal.RoleType) ? "roles" : principal.RoleType;
            string? objectId = null;
            var roles = new HashSet<Role>();
            foreach (var claim in principal.Claims)
            {
                if (claim?.Type is null || claim.Value is null)
                {
                    continue;
                }
                if (claim.Type is ObjectIdClaim or "oid")
                {
                    objectId ??= claim.Value;
                }
                else if ((claim.Type == roleType || claim.Type == "roles") && claim.Value.All(char.IsAsciiLetter) && Enum.TryParse<Role>(claim.Value, ignoreCase: false, out var role))
                {
                    roles.Add(role);
                }
            }
            return LedgerIds.IsValid(objectId) ? new Caller(objectId!, roles) : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Builds a header value (for tests and the local host's development sign-in).</summary>
    public static string Encode(string objectId, params Role[] roles)
    {
        var claims = new List<object> { new { typ = ObjectIdClaim, val = objectId } };
        claims.AddRange(roles.Select(r => new { typ = "roles", val = r.ToString() }));
        var json = JsonSerializer.Serialize(new { auth_typ = "aad", claims, name_typ = "name", role_typ = "roles" });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    private sealed class PrincipalJson
    {
        [JsonPropertyName("auth_typ")]
        public string? AuthType { get; set; }

        [JsonPropertyName("claims")]
        public List<ClaimJson?>? Claims { get; set; }

        [JsonPropertyName("name_typ")]
        public string? NameType { get; set; }

        [JsonPropertyName("role_typ")]
        public string? RoleType { get; set; }
    }

    private sealed class ClaimJson
    {
        [JsonPropertyName("typ")]
        public string? Type { get; set; }

        [JsonPropertyName("val")]
        public string? Value { get; set; }
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace WelfareAudit.Core.Witness;

/// <summary>
/// What <c>welfare-audit witness cosign</c> writes and <c>POST /api/ledger/cosignatures</c> takes
/// (docs/ledger-format.md §15.5): <c>{"format":"welfare-audit-cosignatures","version":1,"witness":vkey,"cosignatures":[…]}</c>.
/// </summary>
public sealed class CosignatureFile
{
    public const string FormatName = "welfare-audit-cosignatures";
    public const int CurrentVersion = 1;

    /// <summary>At most this many cosignatures in one file (one per ledger): the API's body limit holds it with room to spare.</summary>
    public const int MaxCosignatures = 100;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        NumberHandling = JsonNumberHandling.Strict,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A file people read and diff: '+' in keys and base64 stays '+' (nothing here is ever put into HTML).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string? Format { get; set; }

    public int? Version { get; set; }

    public string? Witness { get; set; }

    public List<CosignatureEntry>? Cosignatures { get; set; }
}

using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Witness;

namespace WelfareAudit.Http;

/// <summary>
/// The witness upload (<c>POST /api/ledger/cosignatures</c>): binds the cosignature file that
/// <c>welfare-audit witness cosign</c> wrote, calls <see cref="CosignatureRecorder"/>, answers where each
/// cosignature landed. An Idempotency-Key makes a retry replay (one claim per ledger of the file).
/// </summary>
public sealed class WitnessHandlers(CosignatureRecorder recorder)
{
    private static readonly JsonSerializerOptions Output = new(JsonSerializerDefaults.Web);

    public async Task<IResult> RecordCosignatures(HttpContext context, Caller caller)
    {
        var (file, bytes) = await RequestBody.ReadAsync<CosignatureFile>(context.Request, context.RequestAborted);
        var recorded = await recorder.RecordAsync(caller, file,
            ledgerId => SearchHandlers.IdempotencyFor(context, caller, bytes, nameof(RecordCosignatures), ledgerId), context.RequestAborted);
        if (recorded.Count > 0 && recorded.All(r => r.Replayed))
        {
            context.Response.Headers[SearchHandlers.IdempotentReplayedHeader] = "true";
        }
        return TypedResults.Json(new
        {
            cosignatures = recorded.Select(r => new { ledgerId = r.LedgerId, treeSize = r.TreeSize, sequence = r.Sequence, hash = r.Hash, recordedAt = r.RecordedAt, replayed = r.Replayed }),
        }, Output);
    }
}

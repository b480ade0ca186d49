using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Validation;
using WelfareAudit.Http.Identity;

namespace WelfareAudit.Http;

/// <summary>
/// Maps every foreseeable fault to an RFC 9457 problem response. Details are fixed texts and field
/// names: never a stack trace, never a submitted value.
/// </summary>
public static partial class Problems
{
    public const int RetryAfterSeconds = 5;

    /// <summary>The problem type of a request refused because its ledger's stored rows fail an integrity check.</summary>
    public const string LedgerIntegrityType = "https://welfareaudit.example/problems/ledger-integrity";

    public static IResult From(Exception e, HttpContext context, ILogger logger)
    {
        switch (e)
        {
            case WelfareAudit.Core.Audit.LedgerTamperedException t:
                var broken = t.Verification.Problem!;
                Log.TamperedLedger(logger, t.Verification.LedgerId, broken.Sequence, broken.Kind.ToString());
                return Problem(StatusCodes.Status409Conflict, "Ledger failed verification",
                    $"Ledger {t.Verification.LedgerId} failed verification at sequence {broken.Sequence} ({broken.Kind}): {broken.Detail} " +
                    "Nothing was exported and nothing was signed; see GET /api/ledger/verify.");
            case ValidationFailedException v:
                return TypedResults.ValidationProblem(v.Errors.ToDictionary(), detail: "One or more fields are invalid.", title: "Invalid request",
                    type: "https://welfareaudit.example/problems/validation");
            case UnauthenticatedException u:
                return Problem(StatusCodes.Status401Unauthorized, "Unauthenticated", u.Message);
            case ForbiddenException f:
                return Problem(StatusCodes.Status403Forbidden, "Forbidden", f.Message);
            case NotFoundException n:
                return Problem(StatusCodes.Status404NotFound, "Not found", n.Message);
            case ConflictException c:
                return Problem(StatusCodes.Status409Conflict, "Conflict", c.Message);
            case LedgerIntegrityException l:
                // Not retryable and not the caller's input: the ledger's rows were changed outside the app.
                Log.IntegrityFailure(logger, l.LedgerId, l.Problem.Sequence, l.Problem.Kind.ToString());
                return TypedResults.Problem(
                    detail: $"Ledger {l.LedgerId} failed an integrity check at sequence {l.Problem.Sequence} ({l.Problem.Kind}); nothing was written. " +
                        "Its stored rows were changed outside the application: see GET /api/ledger/verify and tell the supervisor.",
                    statusCode: StatusCodes.Status409Conflict, title: "Ledger integrity failure", type: LedgerIntegrityType);
            case IdempotencyConflictException i:
                return Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency key reused", i.Message);
            case PayloadTooLargeException or StorageLimitException:
                return Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", e is PayloadTooLargeException ? e.Message : "The entry is too large to store.");
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The request body is larger than {RequestBody.MaxBytes} bytes.");
            case RateLimitedException r:
                context.Response.Headers.RetryAfter = r.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Problem(StatusCodes.Status429TooManyRequests, "Too many requests", r.Message);
            case UnsupportedMediaTypeException m:
                return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", m.Message);
            case LedgerUnavailableException or LedgerConflictException:
                Log.Unavailable(logger, e.GetType().Name, e.InnerException?.GetType().Name);
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Problem(StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable",
                    "Storage or the key store is unavailable. Nothing was half-written; retry with the same Idempotency-Key.");
            case WelfareAudit.Core.Reminders.ReminderDeliveryException r:
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Problem(StatusCodes.Status503ServiceUnavailable, "Delivery failed", r.Message);
            case BadHttpRequestException b:
                return Problem(b.StatusCode, "Bad request", "The request could not be read.");
            default:
                Log.Unexpected(logger, e);
                return Problem(StatusCodes.Status500InternalServerError, "Unexpected error", "An unexpected error occurred.");
        }
    }

    public static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: $"https://welfareaudit.example/problems/{status}");

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Dependency unavailable: {ExceptionType} ({InnerType})")]
        public static partial void Unavailable(ILogger logger, string exceptionType, string? innerType);

        [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Export refused: ledger {LedgerId} failed verification at sequence {Sequence} ({Kind})")]
        public static partial void TamperedLedger(ILogger logger, string ledgerId, long sequence, string kind);
        [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Refused: ledger {LedgerId} failed an integrity check at sequence {Sequence} ({Kind})")]
        public static partial void IntegrityFailure(ILogger logger, string ledgerId, long sequence, string kind);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Unexpected failure while handling a request")]
        public static partial void Unexpected(ILogger logger, Exception exception);
    }
}

using System.Text.Json;
using Azure.Data.Tables;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// Which failures of reading a stored row mean "the row is not what the ledger wrote", and the
/// <see cref="LedgerIntegrityException"/> each becomes: readers name the ledger and the row instead of
/// failing with a server error, so one damaged row never takes down a view of every ledger.
/// </summary>
internal static class RowDamage
{
    public static bool Is(Exception e) => e is EnvelopeException or CommitmentMismatchException or UnknownKeyIdException
        or FormatException or InvalidCastException or KeyNotFoundException or JsonException or OverflowException
        or (ArgumentException and not ArgumentNullException);

    public static LedgerIntegrityException At(TableEntity row, Exception e)
    {
        var sequence = RowKeys.TryParseEvent(row.RowKey, out var s) ? s : 0;
        var detail = e switch
        {
            UnknownKeyIdException => "A ciphertext names a data key the key ring does not hold: its key id was altered.",
            EnvelopeException => "A ciphertext of the event was altered or moved.",
            CommitmentMismatchException => "A decrypted value does not match its commitment.",
            _ => "The row is not a well-formed event.",
        };
        return new LedgerIntegrityException(row.PartitionKey, new LedgerProblem(sequence, LedgerProblemKind.ModifiedRow, detail), e);
    }

    /// <summary>A search row that cannot be read back (a property of the wrong type or value).</summary>
    public static LedgerIntegrityException AtProjection(TableEntity row, Exception e) =>
        new(row.PartitionKey, new LedgerProblem(0, LedgerProblemKind.ProjectionMismatch, "A search row is not well-formed."), e);
}

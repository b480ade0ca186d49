using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using WelfareAudit.Core.Searches;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>
/// 128 bits of a SHA-256 over what the verifier compares between a search row and its events (state, sequences, times,
/// blind index, amendments, reminders, review): equal digests stand for equal states, so a row can be held as 16 bytes
/// until its last event has been folded.
/// </summary>
internal static class SearchStateDigest
{
    public static UInt128 Of(SearchProjection p)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Long(hash, (long)p.State);
        Long(hash, p.LoggedSequence);
        Long(hash, p.LastSequence);
        Time(hash, p.OccurredAt);
        Time(hash, p.NextSessionAt);
        Time(hash, p.DiscussedAt);
        Text(hash, p.ClientIndex);
        Long(hash, p.Amendments);
        Long(hash, p.RemindersSent.Count);
        foreach (var reminder in p.RemindersSent)
        {
            Text(hash, reminder);
        }
        Time(hash, p.ReviewedAt);
        Text(hash, p.ReviewOutcome);
        Text(hash, p.Reviewer);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return BinaryPrimitives.ReadUInt128BigEndian(digest);
    }

    private static void Long(IncrementalHash hash, long value)
    {
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, value);
        hash.AppendData(number);
    }

    private static void Time(IncrementalHash hash, DateTimeOffset? value) => Long(hash, value is { } v ? v.UtcTicks : -1);

    // Length-prefixed, and null apart from every string: no two field lists encode alike.
    private static void Text(IncrementalHash hash, string? value)
    {
        if (value is null)
        {
            Long(hash, -1);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        Long(hash, bytes.Length);
        hash.AppendData(bytes);
    }
}

using System.Globalization;
using Azure.Data.Tables;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Infrastructure.Storage;

/// <summary>Maps a <see cref="SealedEvent"/> to and from its table row.</summary>
public static class EventRow
{
    public const string ClearPrefix = "C_";
    public const string CommitmentPrefix = "K_";
    public const string CipherPrefix = "S_";

    public static TableEntity ToEntity(SealedEvent e)
    {
        var entity = new TableEntity(e.Header.LedgerId, RowKeys.Event(e.Header.Sequence))
        {
            ["Format"] = SealedEvent.Format,
            ["Seq"] = e.Header.Sequence,
            ["Type"] = e.Header.Type,
            ["RecordedAt"] = Timestamps.ToText(e.Header.RecordedAt),
            ["Actor"] = e.Header.Actor,
            ["PrevHash"] = e.PrevHash,
            ["Hash"] = e.Hash,
        };
        foreach (var (name, value) in e.Clear)
        {
            entity[ClearPrefix + name] = value;
        }
        foreach (var (name, value) in e.Commitments)
        {
            entity[CommitmentPrefix + name] = value;
        }
        foreach (var (name, value) in e.Ciphertexts)
        {
            entity[CipherPrefix + name] = value;
        }
        return entity;
    }

    /// <summary>Reads a row back; throws <see cref="FormatException"/> for a row that is not a well-formed event.</summary>
    public static SealedEvent FromEntity(TableEntity entity)
    {
        if (entity.GetInt32("Format") is not SealedEvent.Format)
        {
            throw new FormatException("Unknown event row format.");
        }
        var header = new EventHeader(
            entity.PartitionKey,
            entity.GetInt64("Seq") ?? throw new FormatException("Event row without Seq."),
            entity.GetString("Type") ?? throw new FormatException("Event row without Type."),
            Timestamps.TryParse(entity.GetString("RecordedAt"), out var at) ? at : throw new FormatException("Event row with a bad RecordedAt."),
            entity.GetString("Actor") ?? throw new FormatException("Event row without Actor."));

        var clear = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var commitments = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var ciphertexts = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in entity)
        {
            if (key.StartsWith(ClearPrefix, StringComparison.Ordinal))
            {
                clear[key[ClearPrefix.Length..]] = value as string ?? throw new FormatException("A clear field is not text.");
            }
            else if (key.StartsWith(CommitmentPrefix, StringComparison.Ordinal))
            {
                commitments[key[CommitmentPrefix.Length..]] = AsBytes(value);
            }
            else if (key.StartsWith(CipherPrefix, StringComparison.Ordinal))
            {
                ciphertexts[key[CipherPrefix.Length..]] = AsBytes(value);
            }
        }
        return new SealedEvent(header, clear, commitments, ciphertexts,
            entity.GetString("PrevHash") ?? throw new FormatException("Event row without PrevHash."),
            entity.GetString("Hash") ?? throw new FormatException("Event row without Hash."));
    }

    public static long? StoredSequence(TableEntity entity) =>
        entity.TryGetValue("Seq", out var v) ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : null;

    internal static byte[] AsBytes(object? value) => value switch
    {
        byte[] b => b,
        BinaryData d => d.ToArray(),
        _ => throw new FormatException("A binary field is not binary."),
    };
}

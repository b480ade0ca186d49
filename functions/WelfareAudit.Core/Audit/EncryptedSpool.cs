using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WelfareAudit.Core.Audit;

/// <summary>
/// An ephemeral, append-only store for what an export has already verified and will send once it is signed: never
/// plaintext on disk. Bytes are sealed in chunks of <see cref="ChunkSize"/> with AES-256-GCM under a random key that
/// exists only in this object's memory (gone with the process; the file is deleted on close, and unreadable if a
/// crash leaves it behind). Each chunk is stored as its id (8 bytes, big-endian), its plaintext length (4 bytes),
/// the ciphertext and the 16-byte tag; the nonce is the id, which only ever increases, so no nonce is used twice
/// under the key, not even when a segment is cut back and written again. A segment is a run of chunks with
/// consecutive ids: reading one checks every id, so a chunk that was moved, dropped or replayed fails to open.
/// Memory: two chunk buffers, whatever the size of the spool.
/// </summary>
public sealed class EncryptedSpool : IDisposable
{
    public const int ChunkSize = 64 * 1024;
    private const int HeaderSize = 12;
    private const int TagSize = 16;

    private readonly Stream _file;
    private readonly AesGcm _aes;
    private readonly byte[] _plain = new byte[ChunkSize];
    private readonly byte[] _sealed = new byte[HeaderSize + ChunkSize + TagSize];
    private int _filled;
    private ulong _nextId;
    private SpoolSegment? _open;

    /// <summary>A spool over <paramref name="backing"/> (readable, writable, seekable); it is disposed with the spool.</summary>
    public EncryptedSpool(Stream backing)
    {
        _file = backing;
        FilePath = (backing as FileStream)?.Name;
        var key = RandomNumberGenerator.GetBytes(32);
        _aes = new AesGcm(key, TagSize);
        CryptographicOperations.ZeroMemory(key);
    }

    /// <summary>A spool in a new file of the temporary folder, deleted when the spool is disposed.</summary>
    public static EncryptedSpool CreateTemporary() =>
        new(new FileStream(Path.Combine(Path.GetTempPath(), "welfare-audit-spool-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));

    /// <summary>The file behind the spool, when it is one.</summary>
    public string? FilePath { get; }

    /// <summary>Starts a segment at the end of the spool.</summary>
    public void Begin()
    {
        if (_open is not null)
        {
            throw new InvalidOperationException("A segment is open.");
        }
        _open = new SpoolSegment(_file.Length, _nextId, _nextId);
    }

    /// <summary>Discards what the open segment holds and starts it again at the same place (with new chunk ids).</summary>
    public void Restart()
    {
        var open = _open ?? throw new InvalidOperationException("No segment is open.");
        _filled = 0;
        _file.SetLength(open.Offset);
        _open = new SpoolSegment(open.Offset, _nextId, _nextId);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_open is null)
        {
            throw new InvalidOperationException("No segment is open.");
        }
        while (bytes.Length > 0)
        {
            var n = Math.Min(bytes.Length, ChunkSize - _filled);
            bytes[..n].CopyTo(_plain.AsSpan(_filled));
            _filled += n;
            bytes = bytes[n..];
            if (_filled == ChunkSize)
            {
                SealChunk();
            }
        }
    }

    /// <summary>Closes the open segment: what <see cref="CopyToAsync"/> reads back.</summary>
    public SpoolSegment End()
    {
        var open = _open ?? throw new InvalidOperationException("No segment is open.");
        if (_filled > 0)
        {
            SealChunk();
        }
        _file.Flush();
        _open = null;
        return open with { EndId = _nextId };
    }

    /// <summary>Writes the plaintext of <paramref name="segment"/> to <paramref name="output"/>, checking every chunk.</summary>
    public async Task CopyToAsync(SpoolSegment segment, Stream output, CancellationToken cancellationToken)
    {
        _file.Position = segment.Offset;
        var buffer = new byte[HeaderSize + ChunkSize + TagSize];
        var plain = new byte[ChunkSize];
        for (var id = segment.FirstId; id < segment.EndId; id++)
        {
            await _file.ReadExactlyAsync(buffer.AsMemory(0, HeaderSize), cancellationToken);
            var storedId = BinaryPrimitives.ReadUInt64BigEndian(buffer);
            var length = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(8));
            if (storedId != id || length is <= 0 or > ChunkSize)
            {
                throw new CryptographicException("The export spool was changed on disk.");
            }
            await _file.ReadExactlyAsync(buffer.AsMemory(HeaderSize, length + TagSize), cancellationToken);
            _aes.Decrypt(Nonce(id), buffer.AsSpan(HeaderSize, length), buffer.AsSpan(HeaderSize + length, TagSize), plain.AsSpan(0, length), buffer.AsSpan(0, HeaderSize));
            await output.WriteAsync(plain.AsMemory(0, length), cancellationToken);
        }
        _file.Seek(0, SeekOrigin.End);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_plain);
        _aes.Dispose();
        _file.Dispose();
    }

    private void SealChunk()
    {
        var id = _nextId++;
        BinaryPrimitives.WriteUInt64BigEndian(_sealed, id);
        BinaryPrimitives.WriteInt32BigEndian(_sealed.AsSpan(8), _filled);
        // The header is the associated data: the id and length are authenticated with the chunk.
        _aes.Encrypt(Nonce(id), _plain.AsSpan(0, _filled), _sealed.AsSpan(HeaderSize, _filled), _sealed.AsSpan(HeaderSize + _filled, TagSize), _sealed.AsSpan(0, HeaderSize));
        _file.Seek(0, SeekOrigin.End);
        _file.Write(_sealed, 0, HeaderSize + _filled + TagSize);
        CryptographicOperations.ZeroMemory(_plain.AsSpan(0, _filled));
        _filled = 0;
    }

    private static byte[] Nonce(ulong id)
    {
        var nonce = new byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), id);
        return nonce;
    }
}

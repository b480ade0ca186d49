using System.Security.Cryptography;
using System.Text;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Tests.Support;
using static WelfareAudit.Core.Tests.Support.UseCaseWorld;

namespace WelfareAudit.Core.Tests.Audit;

/// <summary>The export's spool: disclosed content is never plaintext on disk, reads back exactly, and refuses changed chunks.</summary>
public sealed class EncryptedSpoolTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("wa-spool-");

    public void Dispose() => _folder.Delete(recursive: true);

    // Unbuffered, as the product's temporary file: what is written is on disk at once.
    private FileStream Backing() => new(Path.Combine(_folder.FullName, "spool"), FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite, 1);

    private byte[] BackingBytes()
    {
        using var file = new FileStream(Path.Combine(_folder.FullName, "spool"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var copy = new MemoryStream();
        file.CopyTo(copy);
        return copy.ToArray();
    }

    private static async Task<byte[]> ReadAsync(EncryptedSpool spool, SpoolSegment segment)
    {
        using var output = new MemoryStream();
        await spool.CopyToAsync(segment, output, CancellationToken.None);
        return output.ToArray();
    }

    [Fact]
    public async Task BundleExport_SpoolFile_NeverHoldsADisclosedValueInPlaintext()
    {
        var world = new UseCaseWorld();
        await world.LogAsync(TherapistA, "C-SPOOL-SECRET-4711");
        var request = new AuditExportRequest(null, null, TherapistA, AuditFormat.Bundle, false);
        using var spool = new BundleEventSpool(request, world.Indexer, new EncryptedSpool(Backing()));
        spool.BeginLedger();
        var verification = await world.Ledger.VerifyAsync(TherapistA, spool.AddAsync, CancellationToken.None);
        var segment = spool.EndLedger();
        using var sent = new MemoryStream();
        await spool.CopyToAsync(segment, sent, CancellationToken.None);

        var onDisk = BackingBytes();
        Assert.True(verification.Ok);
        Assert.Contains("C-SPOOL-SECRET-4711", Encoding.UTF8.GetString(sent.ToArray()), StringComparison.Ordinal); // it is disclosed...
        Assert.True(onDisk.Length > 0);
        foreach (var plain in new[] { "C-SPOOL-SECRET-4711", "SPOOL-SECRET", "\"kind\"", "\"disclosed\"" })
        {
            Assert.Equal(-1, onDisk.AsSpan().IndexOf(Encoding.UTF8.GetBytes(plain))); // ...and never on disk in clear
        }
    }

    [Fact]
    public async Task CopyToAsync_SegmentsOfManyChunks_ReadBackExactlyInTheirOwnOrder()
    {
        using var spool = new EncryptedSpool(Backing());
        var first = RandomNumberGenerator.GetBytes(3 * EncryptedSpool.ChunkSize + 17);
        var second = Encoding.UTF8.GetBytes("second ledger\n");
        spool.Begin();
        spool.Write(first.AsSpan(0, 1000));
        spool.Write(first.AsSpan(1000));
        var a = spool.End();
        spool.Begin();
        spool.Write(second);
        var b = spool.End();
        spool.Begin();
        var empty = spool.End();

        Assert.Equal(second, await ReadAsync(spool, b));
        Assert.Equal(first, await ReadAsync(spool, a));
        Assert.Empty(await ReadAsync(spool, empty));
    }

    [Fact]
    public async Task Restart_DropsTheSegmentsContentAndNeverReusesAChunkId()
    {
        using var spool = new EncryptedSpool(Backing());
        spool.Begin();
        spool.Write(new byte[EncryptedSpool.ChunkSize + 5]); // one chunk sealed (id 0), 5 bytes waiting
        spool.Restart();
        spool.Write("kept"u8);
        var segment = spool.End();

        Assert.Equal("kept"u8.ToArray(), await ReadAsync(spool, segment));
        Assert.Equal(1UL, segment.FirstId); // the chunk dropped keeps its id: no nonce is used twice
        Assert.Equal(12 + 4 + 16, BackingBytes().Length); // the dropped chunks are cut from the file
    }

    [Fact]
    public async Task CopyToAsync_ChunkChangedOnDisk_Refused()
    {
        SpoolSegment segment;
        var spool = new EncryptedSpool(Backing());
        try
        {
            spool.Begin();
            spool.Write(Encoding.UTF8.GetBytes(new string('x', 100)));
            segment = spool.End();
            using (var file = new FileStream(Path.Combine(_folder.FullName, "spool"), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
            {
                // Flip every bit of one ciphertext byte: writing a fixed value left it unchanged once in 256 runs.
                file.Position = 20;
                var original = file.ReadByte();
                file.Position = 20;
                file.WriteByte((byte)~original);
            }

            await Assert.ThrowsAnyAsync<CryptographicException>(() => ReadAsync(spool, segment));
        }
        finally
        {
            spool.Dispose();
        }
    }

    [Fact]
    public void CreateTemporary_Disposed_FileIsGone()
    {
        var spool = EncryptedSpool.CreateTemporary();
        var path = spool.FilePath!;
        spool.Begin();
        spool.Write("x"u8);
        spool.End();
        Assert.True(File.Exists(path));

        spool.Dispose();

        Assert.False(File.Exists(path));
    }
}

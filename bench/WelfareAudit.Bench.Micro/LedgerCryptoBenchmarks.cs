using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Bench.Micro;

/// <summary>
/// Each category has a baseline: the bare primitive the product code is built on, doing the same work
/// on the same bytes. The ratio says what the product's wrapping (format, checks, allocation) costs.
/// </summary>
[MemoryDiagnoser]
public class LedgerCryptoBenchmarks
{
    private const string Encrypt = "seal 1 KiB field";
    private const string Decrypt = "open 1 KiB field";
    private const string Encode = "canonical encoding";
    private const string Hash = "chain hash";

    private readonly KeyMaterial _key = new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), RandomNumberGenerator.GetBytes(32));
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(1024);
    private byte[] _associatedData = [];
    private byte[] _envelope = [];
    private byte[] _rawNonce = [];
    private byte[] _rawCipher = [];
    private byte[] _rawTag = [];

    private EventHeader _header = null!;
    private SortedDictionary<string, string> _clear = null!;
    private SortedDictionary<string, byte[]> _commitments = null!;
    private string[] _flatStrings = [];
    private byte[] _canonical = [];
    private readonly byte[] _previous = RandomNumberGenerator.GetBytes(32);

    [GlobalSetup]
    public void Setup()
    {
        _associatedData = FieldEnvelope.AssociatedData("3f1c9a52-0d6e-4b8a-9f41-7c2e5d8b0a13", 12345, "justification", _key.KeyId);
        _envelope = FieldEnvelope.Seal(_key, _plaintext, _associatedData);
        _rawNonce = RandomNumberGenerator.GetBytes(12);
        _rawCipher = new byte[_plaintext.Length];
        _rawTag = new byte[16];
        using (var aes = new AesGcm(_key.Bytes, 16))
        {
            aes.Encrypt(_rawNonce, _plaintext, _rawCipher, _rawTag, _associatedData);
        }

        // A SearchLogged as the ledger writes it: clear header fields and ten committed sensitive fields.
        _header = new EventHeader("3f1c9a52-0d6e-4b8a-9f41-7c2e5d8b0a13", 12345, "SearchLogged", new DateTimeOffset(2026, 11, 25, 17, 0, 0, TimeSpan.Zero), "3f1c9a52-0d6e-4b8a-9f41-7c2e5d8b0a13");
        _clear = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["searchId"] = Guid.NewGuid().ToString("D"),
            ["clientIndex"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            ["riskLevel"] = "high",
            ["nextSessionAt"] = "2026-11-27T17:00:00.0000000Z",
        };
        _commitments = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in new[] { "clientRef", "occurredAt", "crisisDescription", "contactAttempts", "justification", "sources", "queries", "findings", "actionsTaken", "notes" })
        {
            _commitments[name] = RandomNumberGenerator.GetBytes(32);
        }
        _flatStrings = [.. new[] { "WAEV", _header.LedgerId, _header.Type, Timestamps.ToText(_header.RecordedAt), _header.Actor }
            .Concat(_clear.SelectMany(p => new[] { p.Key, p.Value })).Concat(_commitments.Keys)];
        _canonical = CanonicalEvent.Encode(_header, _clear, _commitments);
    }

    [Benchmark(Baseline = true, Description = "AesGcm.Encrypt 1 KiB (new AesGcm, random nonce)")]
    [BenchmarkCategory(Encrypt)]
    public byte[] RawEncrypt()
    {
        var output = new byte[2 + 32 + 12 + _plaintext.Length + 16];
        var nonce = output.AsSpan(34, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key.Bytes, 16);
        aes.Encrypt(nonce, _plaintext, output.AsSpan(46, _plaintext.Length), output.AsSpan(46 + _plaintext.Length, 16), _associatedData);
        return output;
    }

    [Benchmark(Description = "FieldEnvelope.Seal 1 KiB")]
    [BenchmarkCategory(Encrypt)]
    public byte[] Seal() => FieldEnvelope.Seal(_key, _plaintext, _associatedData);

    [Benchmark(Description = "FieldEnvelope.AssociatedData + Seal 1 KiB")]
    [BenchmarkCategory(Encrypt)]
    public byte[] SealWithAssociatedData() =>
        FieldEnvelope.Seal(_key, _plaintext, FieldEnvelope.AssociatedData(_header.LedgerId, 12345, "justification", _key.KeyId));

    [Benchmark(Baseline = true, Description = "AesGcm.Decrypt 1 KiB (new AesGcm)")]
    [BenchmarkCategory(Decrypt)]
    public byte[] RawDecrypt()
    {
        var plaintext = new byte[_rawCipher.Length];
        using var aes = new AesGcm(_key.Bytes, 16);
        aes.Decrypt(_rawNonce, _rawCipher, _rawTag, plaintext, _associatedData);
        return plaintext;
    }

    [Benchmark(Description = "FieldEnvelope.Open 1 KiB")]
    [BenchmarkCategory(Decrypt)]
    public byte[] Open() => FieldEnvelope.Open(_key, _envelope, _associatedData);

    [Benchmark(Baseline = true, Description = "UTF-8 of the same strings + commitments into one buffer")]
    [BenchmarkCategory(Encode)]
    public byte[] RawEncode()
    {
        var length = 0;
        foreach (var s in _flatStrings)
        {
            length += 4 + Encoding.UTF8.GetByteCount(s);
        }
        var buffer = new byte[length + 8 + 1 + 8 + (_commitments.Count * 32)];
        var offset = 0;
        foreach (var s in _flatStrings)
        {
            offset += 4 + Encoding.UTF8.GetBytes(s, buffer.AsSpan(offset + 4));
        }
        foreach (var c in _commitments.Values)
        {
            c.CopyTo(buffer, offset);
            offset += 32;
        }
        return buffer;
    }

    [Benchmark(Description = "CanonicalEvent.Encode (SearchLogged: 4 clear, 10 committed)")]
    [BenchmarkCategory(Encode)]
    public byte[] CanonicalEncode() => CanonicalEvent.Encode(_header, _clear, _commitments);

    [Benchmark(Baseline = true, Description = "SHA256.HashData(prev ‖ canonical), one shot")]
    [BenchmarkCategory(Hash)]
    public byte[] RawHash()
    {
        var input = new byte[32 + _canonical.Length];
        _previous.CopyTo(input, 0);
        _canonical.CopyTo(input, 32);
        return SHA256.HashData(input);
    }

    [Benchmark(Description = "ChainHash.Next (IncrementalHash)")]
    [BenchmarkCategory(Hash)]
    public byte[] ChainNext() => ChainHash.Next(_previous, _canonical);
}

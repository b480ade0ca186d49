using System.Text;
using System.Text.Json;

namespace WelfareAudit.Core.Audit.Verification;

/// <summary>
/// Stage 1, framing: the file as numbered lines of JSON. Reads strict UTF-8 one line at a time, so memory does
/// not grow with the bundle. A byte sequence that is not UTF-8 is damage (<c>Malformed</c>), not text to guess at;
/// a line that is not complete JSON means the file was cut or damaged (<c>Truncated</c>).
/// </summary>
internal sealed class BundleLines(Stream stream)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Lines are split on bytes, then each is decoded on its own, so a bad byte is named at its own line.
    private byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;
    private bool _endOfFile;

    public long LineNumber { get; private set; }

    /// <summary>The next line, parsed; null at the end of the file.</summary>
    public async Task<BundleLine?> NextAsync(CancellationToken ct)
    {
        var text = await NextTextAsync(ct);
        if (text is null)
        {
            return null;
        }
        try
        {
            return new BundleLine(LineNumber, text, JsonDocument.Parse(text));
        }
        catch (JsonException)
        {
            throw new BundleLineContext(LineNumber).Fail(BundleProblemKind.Truncated, $"Line {LineNumber} is not complete JSON: the file was cut or damaged.");
        }
    }

    /// <summary>The sequence of the next line, if it is an event (one line of look-ahead, taken only to name a problem).</summary>
    public async Task<long?> PeekSequenceAsync(CancellationToken ct)
    {
        var text = await NextTextAsync(ct);
        try
        {
            using var doc = text is null ? null : JsonDocument.Parse(text);
            return doc is not null && doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("sequence", out var s) && s.TryGetInt64(out var v) ? v : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether only empty lines are left.</summary>
    public async Task<bool> AtEndAsync(CancellationToken ct)
    {
        string? line;
        while ((line = await NextTextAsync(ct)) is not null && line.Length == 0)
        {
        }
        return line is null;
    }

    /// <summary>The next line without its <c>\n</c> (and a <c>\r</c> before it); null at the end of the file.</summary>
    private async Task<string?> NextTextAsync(CancellationToken ct)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0 || (_endOfFile && _start < _end))
            {
                var end = newline >= 0 ? newline : _end;
                var length = end - _start - (end > _start && _buffer[end - 1] == (byte)'\r' ? 1 : 0);
                var line = Decode(_start, length);
                _start = newline >= 0 ? newline + 1 : _end;
                LineNumber++;
                return line;
            }
            if (_endOfFile)
            {
                return null;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                (_end, _start) = (_end - _start, 0);
            }
            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
            _endOfFile = read == 0;
            _end += read;
        }
    }

    private string Decode(int start, int length)
    {
        try
        {
            return StrictUtf8.GetString(_buffer, start, length);
        }
        catch (DecoderFallbackException)
        {
            throw new BundleLineContext(LineNumber + 1).Malformed($"Line {LineNumber + 1} is not UTF-8 text.");
        }
    }
}

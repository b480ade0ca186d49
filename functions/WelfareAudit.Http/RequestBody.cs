using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Http;

/// <summary>The request body is over the limit (413).</summary>
public sealed class PayloadTooLargeException() : Exception($"The request body is larger than {RequestBody.MaxBytes} bytes.");

/// <summary>The request body is not JSON (415).</summary>
public sealed class UnsupportedMediaTypeException() : Exception("The request body must be application/json.");

/// <summary>Reads a JSON body strictly: size-capped, JSON only, no unknown or duplicate properties, bounded depth.</summary>
public static class RequestBody
{
    public const int MaxBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 16,
        NumberHandling = JsonNumberHandling.Strict,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static async Task<(T? Value, byte[] Bytes)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) ||
            !mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
            (mediaType.Charset.HasValue && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            throw new UnsupportedMediaTypeException();
        }
        if (request.ContentLength > MaxBytes)
        {
            throw new PayloadTooLargeException();
        }

        var bytes = await ReadCappedAsync(request.Body, cancellationToken);
        try
        {
            return (JsonSerializer.Deserialize<T>(bytes, Json), bytes);
        }
        catch (JsonException e)
        {
            var errors = new ValidationErrors();
            errors.Add(FieldOf(e.Path), "is not valid JSON of the expected shape (wrong type, unknown or repeated property, or malformed text)");
            throw new ValidationFailedException(errors);
        }
    }

    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>"$.crisis.contactAttempts[0].at" → "crisis.contactAttempts[0].at"; the root is "$".</summary>
    public static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "$";
        }
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static async Task<byte[]> ReadCappedAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new PayloadTooLargeException();
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Http;

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
            throw ValidationFailedException.For(FieldOf(e.Path, typeof(T)),
                "is not valid JSON of the expected shape (wrong type, unknown or repeated property, or malformed text)");
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

    /// <summary>
    /// The field to name in an error, echoing nothing the caller wrote: the path is cut before the first
    /// member that <paramref name="contract"/> does not define (an unknown name is the caller's text and
    /// may be client data), and members are named as the contract spells them. An unknown member is thus
    /// reported at the object that holds it: <c>$.crisis['Jane Doe']</c> → <c>crisis</c>.
    /// </summary>
    public static string FieldOf(string? path, Type contract)
    {
        var names = MemberNames.GetOrAdd(contract, CollectMemberNames);
        var field = new StringBuilder();
        var rest = FieldOf(path);
        rest = rest == "$" ? "" : rest;
        var at = 0;
        while (at < rest.Length)
        {
            if (rest[at] == '[' && at + 1 < rest.Length && char.IsAsciiDigit(rest[at + 1]))
            {
                var close = rest.IndexOf(']', at);
                if (close < 0 || rest.AsSpan(at + 1, close - at - 1).ContainsAnyExceptInRange('0', '9'))
                {
                    break;
                }
                field.Append(rest, at, close - at + 1);
                at = close + 1;
                continue;
            }
            if (rest[at] == '.')
            {
                at++;
            }
            var end = rest.IndexOfAny(['.', '['], at);
            var segment = rest[at..(end < 0 ? rest.Length : end)];
            if (!names.TryGetValue(segment, out var name))
            {
                break;
            }
            field.Append(field.Length == 0 ? "" : ".").Append(name);
            at += segment.Length;
        }
        return field.Length == 0 ? "$" : field.ToString();
    }

    private static readonly ConcurrentDictionary<Type, FrozenDictionary<string, string>> MemberNames = new();

    /// <summary>Every JSON member name of a contract and the types it holds, case-insensitively, to the contract's spelling.</summary>
    private static FrozenDictionary<string, string> CollectMemberNames(Type contract)
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<Type>();
        void Walk(Type type)
        {
            if (!seen.Add(type))
            {
                return;
            }
            var info = Json.GetTypeInfo(type);
            if (info.Kind == JsonTypeInfoKind.Object)
            {
                foreach (var property in info.Properties)
                {
                    names.TryAdd(property.Name, property.Name);
                    Walk(property.PropertyType);
                }
            }
            else if (info.Kind == JsonTypeInfoKind.Enumerable && info.ElementType is { } element)
            {
                Walk(element);
            }
        }
        Walk(contract);
        return names.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
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

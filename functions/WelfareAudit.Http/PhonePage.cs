using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace WelfareAudit.Http;

/// <summary>
/// Serves the phone page's static files from resources embedded in this assembly, so both hosts serve
/// the very same bytes and no file system path is ever built from the URL.
/// </summary>
public sealed class PhonePage
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
        "manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    private static readonly Assembly Assembly = typeof(PhonePage).Assembly;

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".webmanifest"] = "application/manifest+json",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".json"] = "application/json",
    };

    private readonly Dictionary<string, byte[]> _files = Load();

    public IReadOnlyCollection<string> Files => _files.Keys;

    public Task<IResult> Serve(HttpContext context, string? asset)
    {
        var name = string.IsNullOrEmpty(asset) ? "index.html" : asset;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (!_files.TryGetValue(name, out var bytes) || !ContentTypes.TryGetValue(Path.GetExtension(name), out var type))
        {
            return Task.FromResult(Problems.Problem(StatusCodes.Status404NotFound, "Not found", "No such page."));
        }
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.CacheControl = "no-cache";
        return Task.FromResult<IResult>(TypedResults.Bytes(bytes, type));
    }

    private static Dictionary<string, byte[]> Load()
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in Assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var stream = Assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            files[resource["wwwroot/".Length..]] = buffer.ToArray();
        }
        return files;
    }
}

using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Connector.Functions;

namespace Connector.Web;

/// <summary>
/// Serves the merchant's order page (Web/App, embedded in the handler: nothing is loaded from a CDN). The files hold no
/// data; every call the page makes goes to the function-key-protected API. <c>labels.json</c> is the one generated
/// file: the words for status, platform, activity and failure codes (<see cref="PageLabels"/>), public like the page.
/// </summary>
public static class AppEndpoints
{
    private const string ResourcePrefix = "app/";
    private const string LabelsFile = "labels.json";

    private static readonly Lazy<FrozenDictionary<string, Asset>> Assets = new(Load);

    private static readonly Lazy<Asset> Labels = new(() =>
        Asset.Of(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(PageLabels.Current, Problems.JsonOptions), LabelsFile));

    public static void MapAppEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/app/{*path}", Serve).ForFunction("App").WithInput(RouteInput.Get("shopId"));

    private static IResult Serve(string? path, HttpContext context)
    {
        var name = string.IsNullOrEmpty(path) ? "index.html" : path;
        var asset = name == LabelsFile ? Labels.Value : Assets.Value.GetValueOrDefault(name);
        if (asset is null)
        {
            return Problems.NotFound($"No file '{name}' in the order page.");
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var name = resource[ResourcePrefix.Length..].Replace('\\', '/');
            assets[name] = Asset.Of(bytes, name);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".json" => "application/json",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Content, string ContentType, string ETag)
    {
        public static Asset Of(byte[] content, string name) =>
            new(content, AppEndpoints.ContentType(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
    }
}

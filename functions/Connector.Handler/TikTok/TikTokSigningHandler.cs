using Microsoft.Extensions.Options;

namespace Connector.TikTok;

/// <summary>
/// Stamps <c>app_key</c>, <c>timestamp</c> and <c>sign</c> on every Open API request. It sits inside the resilience
/// handler, so each retry is re-stamped and re-signed (reference/tiktok-shop-api.md §2.4 "re-sign on every retry").
/// </summary>
public sealed class TikTokSigningHandler(IOptions<TikTokOptions> options, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        var uri = request.RequestUri!;
        var query = ParseQuery(uri.Query)
            .Where(p => p.Key is not ("sign" or "timestamp" or "app_key" or "access_token"))
            .Append(new("app_key", settings.AppKey))
            .Append(new("timestamp", time.GetUtcNow().ToUnixTimeSeconds().ToString()))
            .ToList();
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var contentType = request.Content?.Headers.ContentType?.ToString();
        var sign = TikTokSigner.Sign(settings.AppSecret, uri.AbsolutePath, query, body, contentType);
        query.Add(new("sign", sign));
        request.RequestUri = new UriBuilder(uri) { Query = FormatQuery(query) }.Uri;
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>Decodes the query as TikTok signs it: percent-decoding only ('+' stays '+').</summary>
    internal static IEnumerable<KeyValuePair<string, string>> ParseQuery(string query)
    {
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            var key = separator < 0 ? part : part[..separator];
            var value = separator < 0 ? "" : part[(separator + 1)..];
            yield return new(Uri.UnescapeDataString(key), Uri.UnescapeDataString(value));
        }
    }

    internal static string FormatQuery(IEnumerable<KeyValuePair<string, string>> query) =>
        string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
}

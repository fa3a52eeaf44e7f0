using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>One Open API call as a client would make it; members let a test break one rule at a time.</summary>
internal sealed record ApiCall
{
    public HttpMethod Method { get; init; } = HttpMethod.Get;
    public required string Path { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];
    public string? Body { get; init; }
    public string? AccessToken { get; init; }
    public string? ContentType { get; init; } = "application/json";
    public long? Timestamp { get; init; }
    public string? AppKey { get; init; }
    public string? Sign { get; init; }
    public bool OmitSign { get; init; }
}

internal sealed record ApiResponse(HttpStatusCode Status, JsonElement Root, HttpResponseHeaders Headers, string Raw)
{
    public int Code => Root.GetProperty("code").GetInt32();
    public string Message => Root.GetProperty("message").GetString()!;
    public JsonElement Data => Root.GetProperty("data");
}

/// <summary>A minimal signed client for the simulator (paging in the query, filters in the body, token in x-tts-access-token).</summary>
internal sealed class TikTokTestClient(HttpClient http, TikTokSimulator simulator, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? simulator.Options.TimeProvider;

    public static HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false });

    public async Task<ApiResponse> SendAsync(ApiCall call)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("app_key", call.AppKey ?? simulator.Options.AppKey),
            new("timestamp", (call.Timestamp ?? _time.GetUtcNow().ToUnixTimeSeconds()).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        query.AddRange(call.Query);
        var body = call.Body is null ? [] : Encoding.UTF8.GetBytes(call.Body);
        if (!call.OmitSign)
        {
            query.Add(new("sign", call.Sign ?? TestSigner.Sign(simulator.Options.AppSecret, call.Path, query, body, call.ContentType)));
        }

        var url = new Uri(simulator.BaseUrl, call.Path + "?" + string.Join('&', query.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}")));
        using var request = new HttpRequestMessage(call.Method, url);
        if (call.ContentType is not null)
        {
            // §1: Content-Type is required even on GET; the (empty) content carries it.
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(call.ContentType);
        }

        if (call.AccessToken is not null)
        {
            request.Headers.TryAddWithoutValidation("x-tts-access-token", call.AccessToken);
        }

        using var response = await http.SendAsync(request);
        return await ReadAsync(response);
    }

    public static async Task<ApiResponse> ReadAsync(HttpResponseMessage response)
    {
        var raw = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(raw);
        return new ApiResponse(response.StatusCode, document.RootElement.Clone(), response.Headers, raw);
    }

    public Task<ApiResponse> SearchAsync(SimShop shop, int pageSize, string? pageToken = null, string body = "{}",
        string? sortField = null, string? sortOrder = null, string? accessToken = null)
    {
        var query = new List<KeyValuePair<string, string>> { new("page_size", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("shop_cipher", shop.Cipher) };
        if (pageToken is not null)
        {
            query.Add(new("page_token", pageToken));
        }

        if (sortField is not null)
        {
            query.Add(new("sort_field", sortField));
        }

        if (sortOrder is not null)
        {
            query.Add(new("sort_order", sortOrder));
        }

        return SendAsync(new ApiCall
        {
            Method = HttpMethod.Post,
            Path = "/order/202309/orders/search",
            Query = query,
            Body = body,
            AccessToken = accessToken ?? shop.AccessToken,
        });
    }

    public Task<ApiResponse> DetailAsync(SimShop shop, IEnumerable<string> ids, string version = "202309", string? accessToken = null) =>
        SendAsync(new ApiCall
        {
            Path = $"/order/{version}/orders",
            Query = [new("ids", string.Join(',', ids)), new("shop_cipher", shop.Cipher)],
            AccessToken = accessToken ?? shop.AccessToken,
        });

    public Task<ApiResponse> ShopsAsync(string accessToken) =>
        SendAsync(new ApiCall { Path = "/authorization/202309/shops", AccessToken = accessToken });

    /// <summary>Auth host call: not signed, plain GET (§3.1).</summary>
    public async Task<ApiResponse> TokenAsync(string path, params (string Key, string Value)[] query)
    {
        var url = new Uri(simulator.BaseUrl, path + "?" + string.Join('&', query.Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}")));
        using var response = await http.GetAsync(url);
        return await ReadAsync(response);
    }

    public Task<ApiResponse> RefreshAsync(string refreshToken) =>
        TokenAsync("/api/v2/token/refresh",
            ("app_key", simulator.Options.AppKey), ("app_secret", simulator.Options.AppSecret),
            ("refresh_token", refreshToken), ("grant_type", "refresh_token"));
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.State;

namespace Connector.TikTok;

/// <summary>
/// TikTok Shop Open API (202309+) for one shop: order search and detail. Signing happens in
/// <see cref="TikTokSigningHandler"/>; transient failures are retried by the resilience handler around it.
/// </summary>
public sealed partial class TikTokClient(HttpClient http, TikTokTokenProvider tokens)
{
    public const int MaxPageSize = 100;
    public const int MaxDetailIds = 50;

    /// <summary>
    /// One page of <c>POST /order/202309/orders/search</c>: paging and sort in the query, filters in the JSON body
    /// with integer timestamps (reference/tiktok-shop-api.md §4.2, pitfall 1).
    /// </summary>
    public async Task<OrderSearchData> SearchOrdersAsync(
        ShopEntity shop, long updateTimeGe, long updateTimeLt, string? pageToken, int pageSize, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("page_size", Math.Clamp(pageSize, 1, MaxPageSize).ToString()),
            new("sort_field", "update_time"),
            new("sort_order", "ASC"),
        };
        if (!string.IsNullOrEmpty(pageToken))
        {
            query.Add(new("page_token", pageToken));
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, long>
        {
            ["update_time_ge"] = updateTimeGe,
            ["update_time_lt"] = updateTimeLt,
        });
        var data = await SendAsync<OrderSearchData>(shop, HttpMethod.Post, "/order/202309/orders/search", query, body, cancellationToken);
        return data with { Orders = data.Orders ?? [] };
    }

    /// <summary><c>GET /order/202309/orders?ids=</c>, at most 50 ids a call (§4.3), comma-joined under one key (§2.2).</summary>
    public async Task<IReadOnlyList<TikTokOrder>> GetOrdersAsync(ShopEntity shop, IReadOnlyCollection<string> orderIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderIds);
        var result = new List<TikTokOrder>(orderIds.Count);
        foreach (var chunk in orderIds.Chunk(MaxDetailIds))
        {
            var data = await SendAsync<OrderDetailData>(
                shop, HttpMethod.Get, "/order/202309/orders", [new("ids", string.Join(',', chunk))], null, cancellationToken);
            result.AddRange(data.Orders ?? []);
        }

        return result;
    }

    /// <summary>
    /// <c>GET /authorization/202309/shops</c> with a fresh token (reference §3.2): the shops this authorisation covers,
    /// each with the <c>cipher</c> every shop-scoped call needs. No <c>shop_cipher</c> is allowed here.
    /// </summary>
    public async Task<IReadOnlyList<AuthorizedShop>> GetAuthorizedShopsAsync(string accessToken, CancellationToken cancellationToken)
    {
        var (status, envelope) = await SendOnceAsync<AuthorizedShopsData>(null, accessToken, HttpMethod.Get, "/authorization/202309/shops", [], null, cancellationToken);
        if (envelope.Code != 0 || envelope.Data is null)
        {
            throw new TikTokApiException(envelope.Code, envelope.Message ?? "No data in the answer.", envelope.RequestId, status);
        }

        return envelope.Data.Shops ?? [];
    }

    private async Task<T> SendAsync<T>(
        ShopEntity shop, HttpMethod method, string path, List<KeyValuePair<string, string>> query, byte[]? body, CancellationToken cancellationToken)
        where T : class
    {
        var token = await tokens.GetAccessTokenAsync(shop, cancellationToken);
        var (status, envelope) = await SendOnceAsync<T>(shop, token, method, path, query, body, cancellationToken);
        if (envelope.Code == TikTokErrorCodes.ExpiredAccessToken)
        {
            // Expired before its advertised time (revoked or clock skew): refresh once and repeat (§8.1 "refresh token, retry").
            await tokens.RefreshAsync(shop, token, cancellationToken);
            (status, envelope) = await SendOnceAsync<T>(shop, shop.AccessToken, method, path, query, body, cancellationToken);
        }

        if (envelope.Code != 0 || envelope.Data is null)
        {
            throw new TikTokApiException(envelope.Code, envelope.Message ?? "No data in the answer.", envelope.RequestId, status);
        }

        return envelope.Data;
    }

    private async Task<(int Status, TikTokEnvelope<T> Envelope)> SendOnceAsync<T>(
        ShopEntity? shop, string token, HttpMethod method, string path, List<KeyValuePair<string, string>> query, byte[]? body, CancellationToken cancellationToken)
        where T : class
    {
        var fullQuery = shop is null ? query : query.Append(new("shop_cipher", shop.ShopCipher));
        using var request = new HttpRequestMessage(method, $"{path}?{TikTokSigningHandler.FormatQuery(fullQuery)}");
        request.Headers.Add("x-tts-access-token", token);
        if (shop is not null)
        {
            request.Options.Set(TikTokRateBudgetHandler.ShopKey, shop.ShopId);
        }

        // Content-Type: application/json is required on every operation, GETs included (§1).
        request.Content = new ByteArrayContent(body ?? []);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        TikTokEnvelope<T>? envelope;
        try
        {
            envelope = await response.Content.ReadFromJsonAsync<TikTokEnvelope<T>>(TikTokJson.Options, cancellationToken);
        }
        catch (JsonException)
        {
            envelope = null;
        }

        return (status, envelope ?? new TikTokEnvelope<T>(-1, $"HTTP {status} without a TikTok envelope.", null, null));
    }
}

using System.Text.Json;
using Connector.State;

namespace Connector.TikTok;

/// <summary>Products and stock (tiktok-oas/product.json 202309): the shop's catalogue and its stock per warehouse.</summary>
public sealed partial class TikTokClient
{
    /// <summary>
    /// One page of SearchProducts, <c>POST /product/202309/products/search</c>: page_size (1–100) and page_token in the
    /// query; an empty body searches every status but DELETED.
    /// </summary>
    public async Task<ProductSearchData> SearchProductsAsync(ShopEntity shop, string? pageToken, int pageSize, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string>> { new("page_size", Math.Clamp(pageSize, 1, MaxPageSize).ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        if (!string.IsNullOrEmpty(pageToken))
        {
            query.Add(new("page_token", pageToken));
        }

        var data = await SendAsync<ProductSearchData>(shop, HttpMethod.Post, "/product/202309/products/search", query, "{}"u8.ToArray(), cancellationToken);
        return data with { Products = data.Products ?? [] };
    }

    /// <summary>GetProduct, <c>GET /product/202309/products/{product_id}</c>: the audit result (failed reasons) the search does not carry.</summary>
    public Task<TikTokProduct> GetProductAsync(ShopEntity shop, string productId, CancellationToken cancellationToken) =>
        SendAsync<TikTokProduct>(shop, HttpMethod.Get, $"/product/202309/products/{Uri.EscapeDataString(productId)}", [], null, cancellationToken);

    /// <summary>
    /// UpdateInventory, <c>POST /product/202309/products/{product_id}/inventory/update</c>: the SKUs (of this one product)
    /// with every warehouse each is assigned to. All or nothing.
    /// </summary>
    public async Task UpdateInventoryAsync(ShopEntity shop, string productId, IReadOnlyList<InventoryUpdateSku> skus, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new InventoryUpdateBody(skus), TikTokJson.Options);
        await SendAsync<System.Text.Json.Nodes.JsonObject>(
            shop, HttpMethod.Post, $"/product/202309/products/{Uri.EscapeDataString(productId)}/inventory/update", [], body, cancellationToken);
    }

    /// <summary>UpdatePrice, <c>POST /product/202309/products/{product_id}/prices/update</c> (ACTIVATE products only).</summary>
    public async Task UpdatePriceAsync(ShopEntity shop, string productId, IReadOnlyList<PriceUpdateSku> skus, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new PriceUpdateBody(skus), TikTokJson.Options);
        await SendAsync<System.Text.Json.Nodes.JsonObject>(
            shop, HttpMethod.Post, $"/product/202309/products/{Uri.EscapeDataString(productId)}/prices/update", [], body, cancellationToken);
    }

    /// <summary>
    /// DeactivateProducts, <c>POST /product/202309/products/deactivate</c>: hides ACTIVATE products from buyers
    /// (SELLER_DEACTIVATED) — the documented answer to "out of stock", since UpdateInventory takes 1–99,999 only.
    /// A product TikTok lists in data.errors is refused with TikTok's code and message.
    /// </summary>
    public Task DeactivateProductAsync(ShopEntity shop, string productId, CancellationToken cancellationToken) =>
        MoveProductAsync(shop, "/product/202309/products/deactivate", productId, cancellationToken);

    /// <summary>ActivateProduct, <c>POST /product/202309/products/activate</c>: a deactivated product goes back to TikTok's audit (PENDING, then ACTIVATE).</summary>
    public Task ActivateProductAsync(ShopEntity shop, string productId, CancellationToken cancellationToken) =>
        MoveProductAsync(shop, "/product/202309/products/activate", productId, cancellationToken);

    private async Task MoveProductAsync(ShopEntity shop, string path, string productId, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new ProductIdsBody([productId]), TikTokJson.Options);
        var data = await SendAsync<ProductErrorsData>(shop, HttpMethod.Post, path, [], body, cancellationToken);
        if (data.Errors?.FirstOrDefault() is { } error)
        {
            throw new TikTokApiException(error.Code, error.Message ?? "refused", null, 200);
        }
    }
}

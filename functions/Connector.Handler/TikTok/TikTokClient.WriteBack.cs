using System.Text.Json;
using Connector.State;

namespace Connector.TikTok;

/// <summary>Write-back (reference/tiktok-shop-api.md §6): the merchant's shipments and cancellations made in the store.</summary>
public sealed partial class TikTokClient
{
    /// <summary>
    /// MarkPackageAsShipped, <c>POST /fulfillment/202309/orders/{order_id}/packages</c> (§6.1): the given line items leave in
    /// one package with the seller's tracking. A subset of the order's lines is a partial shipment.
    /// </summary>
    public async Task<ShippedPackage> MarkPackageAsShippedAsync(
        ShopEntity shop, string orderId, IReadOnlyCollection<string> lineItemIds, string shippingProviderId, string trackingNumber,
        CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new MarkShippedBody(trackingNumber, shippingProviderId, [.. lineItemIds]), TikTokJson.Options);
        return await SendAsync<ShippedPackage>(
            shop, HttpMethod.Post, $"/fulfillment/202309/orders/{Uri.EscapeDataString(orderId)}/packages", [], body, cancellationToken);
    }

    /// <summary>
    /// UpdatePackageShippingInfo, <c>POST /fulfillment/202309/packages/{package_id}/shipping_info/update</c> (§6.1): the
    /// seller corrects the tracking of a package already shipped; TikTok allows it within 72 hours of shipping.
    /// </summary>
    public async Task UpdatePackageShippingInfoAsync(
        ShopEntity shop, string packageId, string shippingProviderId, string trackingNumber, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new ShippingInfoBody(trackingNumber, shippingProviderId), TikTokJson.Options);
        await SendAsync<System.Text.Json.Nodes.JsonObject>(
            shop, HttpMethod.Post, $"/fulfillment/202309/packages/{Uri.EscapeDataString(packageId)}/shipping_info/update", [], body, cancellationToken);
    }

    /// <summary>
    /// CancelOrder, <c>POST /return_refund/202309/cancellations</c> (§6.2) with a seller reason key that fits the order's
    /// status and market (a wrong key is 25001021 "Reason not match order status").
    /// </summary>
    public async Task<CancellationResult> CancelOrderAsync(ShopEntity shop, string orderId, string cancelReasonKey, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new CancelBody(orderId, cancelReasonKey), TikTokJson.Options);
        return await SendAsync<CancellationResult>(shop, HttpMethod.Post, "/return_refund/202309/cancellations", [], body, cancellationToken);
    }

    /// <summary>
    /// The shipping providers the shop may ship with (§6.1 "Shipping provider ids"): warehouses → their delivery options →
    /// each option's providers. The ids are what MarkPackageAsShipped takes; TikTok refuses any other carrier.
    /// </summary>
    public async Task<IReadOnlyList<TikTokShippingProvider>> GetShippingProvidersAsync(ShopEntity shop, CancellationToken cancellationToken)
    {
        var providers = new Dictionary<string, TikTokShippingProvider>(StringComparer.Ordinal);
        var warehouses = await SendAsync<WarehousesData>(shop, HttpMethod.Get, "/logistics/202309/warehouses", [], null, cancellationToken);
        foreach (var warehouse in (warehouses.Warehouses ?? []).Where(w => w.EffectStatus is null or "ENABLED" && w.Type is null or "SALES_WAREHOUSE"))
        {
            var options = await SendAsync<DeliveryOptionsData>(
                shop, HttpMethod.Get, $"/logistics/202309/warehouses/{Uri.EscapeDataString(warehouse.Id)}/delivery_options", [], null, cancellationToken);
            foreach (var option in options.DeliveryOptions ?? [])
            {
                var found = await SendAsync<ShippingProvidersData>(
                    shop, HttpMethod.Get, $"/logistics/202309/delivery_options/{Uri.EscapeDataString(option.Id)}/shipping_providers", [], null, cancellationToken);
                foreach (var provider in found.ShippingProviders ?? [])
                {
                    providers.TryAdd(provider.Id, provider);
                }
            }
        }

        return [.. providers.Values];
    }
}

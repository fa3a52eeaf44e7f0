using System.Globalization;
using System.Text.Json.Nodes;
using static Connector.Stores.PrestaShop.PrestaShopOrders;
using static Connector.Stores.PrestaShop.PrestaShopWebservice;

namespace Connector.Stores.PrestaShop;

/// <summary>
/// A refund TikTok completed → the order's Refunded state (<c>PS_OS_REFUND</c>, store-apis.md §1.7) through
/// <c>order_histories</c>, after the returned units are put back through <c>stock_availables</c> when the merchant restocks:
/// PrestaShop gives stock back by itself only for the error and canceled states (OrderHistory::changeIdOrderState, §1.6), not
/// for Refunded. The state is the marker: an order already Refunded is left alone, and it is set last.
/// </summary>
public sealed partial class PrestaShopOrderWriter
{
    public async Task<string> RefundAsync(StoreAccess shop, string storeOrderId, StoreRefund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        var config = await configs.GetAsync(shop, cancellationToken);
        var (id, state) = await OrderStateAsync(shop, storeOrderId, cancellationToken);
        var refunded = config.State(Refund);
        if (state == refunded)
        {
            return $"PrestaShop order {id} is already Refunded.";
        }

        var restocked = 0;
        if (refund.Restock && !refund.Resumed)
        {
            restocked = await RestockAsync(shop, id, refund, cancellationToken);
        }

        await ChangeStateAsync(shop, id, Refund, refunded, cancellationToken);
        return $"PrestaShop order {id} moved to Refunded; "
            + (refund.Restock && refund.Resumed ? "an earlier attempt was interrupted, so the stock was not put back again: check it in PrestaShop."
                : restocked > 0 ? $"{restocked} unit(s) back in stock." : "stock not changed.");
    }

    /// <summary>Each refunded SKU's units go back to the product or combination the order's row names.</summary>
    private async Task<int> RestockAsync(StoreAccess shop, long orderId, StoreRefund refund, CancellationToken cancellationToken)
    {
        var body = await ws.GetAsync(shop, $"orders/{orderId}?{Q(("display", "full"))}", cancellationToken);
        var rows = (body?["order"]?["associations"]?["order_rows"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var total = 0;
        foreach (var (sku, units) in refund.Units)
        {
            var row = rows.FirstOrDefault(r => string.Equals(PrestaShopXml.Str(r["product_reference"]), sku, StringComparison.OrdinalIgnoreCase))
                ?? throw new StoreRejectedException($"PrestaShop order {orderId} has no line with reference {sku}; put the {units} returned unit(s) back in stock by hand.");
            var product = PrestaShopXml.Long(row["product_id"]);
            var attribute = PrestaShopXml.Long(row["product_attribute_id"]);
            var list = await ws.GetAsync(shop,
                $"stock_availables?{Q(("filter[id_product]", $"[{product}]"), ("filter[id_product_attribute]", $"[{attribute}]"), ("display", "full"))}", cancellationToken);
            var stock = PrestaShopXml.First(PrestaShopXml.List(list, "stock_availables"))
                ?? throw new StoreRejectedException($"PrestaShop has no stock row for {sku} (product {product}, combination {attribute}).");
            var stockId = PrestaShopXml.Long(stock["id"]);
            var quantity = PrestaShopXml.Long(stock["quantity"]) + units;

            // A full PUT of the writable fields (1.7 has no PATCH; POST and DELETE are forbidden on this resource).
            var xml = PrestaShopXml.Entity("stock_available",
            [
                new("id", PrestaShopXml.Format(stockId)),
                new("id_product", PrestaShopXml.Format(product)),
                new("id_product_attribute", PrestaShopXml.Format(attribute)),
                new("id_shop", PrestaShopXml.Str(stock["id_shop"])),
                new("id_shop_group", PrestaShopXml.Str(stock["id_shop_group"])),
                new("quantity", quantity.ToString(CultureInfo.InvariantCulture)),
                new("depends_on_stock", PrestaShopXml.Str(stock["depends_on_stock"])),
                new("out_of_stock", PrestaShopXml.Str(stock["out_of_stock"])),
                new("location", PrestaShopXml.Str(stock["location"])),
            ]);
            await ws.WriteAsync(shop, HttpMethod.Put, "stock_availables", $"stock_availables/{stockId}", xml, cancellationToken);
            total += units;
        }

        return total;
    }
}
